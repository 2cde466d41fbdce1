import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS } from './collections.ts';
import { type Page, queryPage } from './paged-query.ts';

/**
 * The audit record of one AI call (every attempt that reached a provider, failed ones included).
 * The prompt is kept only as its sha256: enough to tell two calls on the same text apart or alike,
 * nothing of the text itself.
 */
export const AiCallAudit = z.object({
  id: z.string(),
  tenant: z.string(),
  keyId: z.string(),
  purpose: z.string(),
  provider: z.string(),
  model: z.string(),
  inputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  /** Input tokens written to the provider's cache (Anthropic), when there were any; of them, for 1 h. */
  cacheWriteTokens: z.number().int().optional(),
  cacheWrite1hTokens: z.number().int().optional(),
  outputTokens: z.number().int(),
  /** Integer pico-USD (1e-12 USD): tokens × the pinned price table's prices, exactly. */
  costPicoUsd: z.number().int(),
  /**
   * False when the price table does not know the model: `costPicoUsd` is then 0 because the cost is
   * unknown, not because the call was free. Absent on records written before this field.
   */
  priced: z.boolean().optional(),
  latencyMs: z.number(),
  /** `ok`, `invalid_output` (answer outside the schema), or the error code of a failed attempt. */
  outcome: z.string(),
  promptSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Only with AI_AUDIT_STORE_PROMPTS: the prompt as sent (scrubbed), cut at 20,000 characters. */
  prompt: z.string().max(20_000).optional(),
  at: z.string(),
});
export type AiCallAudit = z.infer<typeof AiCallAudit>;

export async function recordAiCall(
  state: StateStore,
  call: Omit<AiCallAudit, 'id'>,
  ttlDays: number,
): Promise<void> {
  const id = `${call.at.replace(/[^0-9]/g, '')}-${randomUUID()}`;
  const expireAt = new Date(Date.parse(call.at) + ttlDays * 86_400_000);
  await state.create(COLLECTIONS.aiCalls, id, { ...call, id }, { expireAt });
}

/** Newest first; one tenant's (a tenant's own view, or the admin's filter) or all of them (admin). */
export async function listAiCalls(
  state: StateStore,
  tenant: string | undefined,
  page: { pageSize: number; pageToken?: string | undefined },
): Promise<Page<AiCallAudit>> {
  const docs = await queryPage<AiCallAudit>(
    state,
    COLLECTIONS.aiCalls,
    { ...(tenant ? { where: [['tenant', '==', tenant]] } : {}), orderBy: { field: 'at', direction: 'desc' } },
    page,
  );
  return {
    items: docs.items.map((d) => d.data),
    ...(docs.nextPageToken ? { nextPageToken: docs.nextPageToken } : {}),
  };
}
