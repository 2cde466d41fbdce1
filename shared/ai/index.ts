export { AiQuota } from './ai-quota.ts';
export { type AiGatewayOptions, createAiGateway, verifyAiKey } from './create-ai-gateway.ts';
export { TenantRateLimit } from './tenant-rate-limit.ts';
