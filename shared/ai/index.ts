export { AiQuota } from './ai-quota.ts';
export { type AiGatewayOptions, createAiGateway } from './create-ai-gateway.ts';
export { TenantRateLimit } from './tenant-rate-limit.ts';
