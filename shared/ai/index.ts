export { type AiGatewayOptions, createAiGateway } from './create-ai-gateway.ts';
