export { AiQuota } from './ai-quota.ts';
export { type AiGatewayOptions, createAiGateway } from './create-ai-gateway.ts';
