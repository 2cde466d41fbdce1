import { createApiKey } from '../../shared/api/api-keys.ts';
import type { StateStore } from '../../shared/ports/index.ts';
import { COLLECTIONS, docId, putAiQuotaOverride, recordAiCall } from '../../shared/records/index.ts';

/** Noon UTC of today's date: every seeded "today" and "yesterday" is clear of the day boundary. */
export const NOW = new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00.000Z`);
export const TODAY = NOW.toISOString().slice(0, 10);
export const at = (daysAgo: number, hour: number) =>
  new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() - daysAgo, hour)).toISOString();
export const dayOf = (daysAgo: number) => at(daysAgo, 0).slice(0, 10);

/** An audit record as the gateway writes it (object mother). */
export function aCall(over: Record<string, unknown>) {
  return {
    tenant: 'acme',
    keyId: 'k1',
    purpose: 'summary',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    costPicoUsd: 0,
    priced: true,
    latencyMs: 100,
    outcome: 'ok',
    promptSha256: 'a'.repeat(64),
    at: at(0, 10),
    ...over,
  } as Parameters<typeof recordAiCall>[1];
}

/**
 * acme: 5 calls in the last 30 days (0.0039 USD: a suggestion of 0.0025, summaries of 0.001 and
 * 0.0004, a failed one, one of an unpriced model) and one 40 days ago (7 pico-USD); globex: 3 calls
 * summing to 10,000 USD and a pico (past 2^53 pico-USD). The quota's counters: acme at 8 of free's
 * 10 requests today and 4.5 of the 5 cents budget this month (with AI_MONTHLY_BUDGET_USD=0.05),
 * globex at 95 of starter's 100, initech at its override's 20.
 */
export async function seedAiUsage(state: StateStore): Promise<{ acme: string; globex: string }> {
  const acme = (await createApiKey(state, { tenant: 'acme', now: NOW })).key;
  const globex = (await createApiKey(state, { tenant: 'globex', tier: 'starter', now: NOW })).key;
  const revoked = await createApiKey(state, { tenant: 'globex', tier: 'pro', now: NOW });
  await state.set(COLLECTIONS.apiKeys, revoked.doc.id, { ...revoked.doc, revokedAt: NOW.toISOString() });

  const calls = [
    aCall({ inputTokens: 1000, cachedInputTokens: 200, outputTokens: 100, costPicoUsd: 1_000_000_000 }),
    aCall({
      purpose: 'suggestion',
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      inputTokens: 2000,
      outputTokens: 300,
      costPicoUsd: 2_500_000_000,
      at: at(0, 9),
    }),
    aCall({ inputTokens: 500, outputTokens: 50, costPicoUsd: 400_000_000, at: at(1, 8) }),
    aCall({ outcome: 'upstream_failed', latencyMs: 2000, at: at(1, 7) }),
    // An unknown model: recorded at cost 0, unpriced.
    aCall({ model: 'gpt-next', inputTokens: 10, outputTokens: 5, priced: false, at: at(3, 6) }),
    // Outside 30 days, inside 90.
    aCall({ costPicoUsd: 7, inputTokens: 1, at: at(40, 6) }),
    // Two calls of 5,000 USD and one of a pico: their sum is past 2^53 pico-USD.
    ...[at(0, 1), at(0, 2)].map((when) =>
      aCall({ tenant: 'globex', provider: 'gemini', model: 'gemini-2.5-pro', costPicoUsd: 5e15, at: when }),
    ),
    aCall({ tenant: 'globex', provider: 'gemini', model: 'gemini-2.5-pro', costPicoUsd: 1, at: at(2, 3) }),
  ];
  for (const call of calls) await recordAiCall(state, call, 90);

  const month = TODAY.slice(0, 7);
  const usage = async (tenant: string, period: string, data: Record<string, unknown>) =>
    state.set(COLLECTIONS.aiUsage, docId(tenant, period), { tenant, ...data });
  await usage('acme', TODAY, { day: TODAY, requests: 8 });
  await usage('acme', month, { month, costPico: 45_000_000_000, reservedPico: 1_000_000_000, requests: 9 });
  await usage('globex', TODAY, { day: TODAY, requests: 95 });
  await usage('initech', TODAY, { day: TODAY, requests: 20 });
  await usage('acme', dayOf(1), { day: dayOf(1), requests: 3 });
  await putAiQuotaOverride(state, {
    tenant: 'initech',
    dailyRequests: 20,
    expiresAt: new Date(NOW.getTime() + 86_400_000).toISOString(),
    reason: 'launch week',
    grantedBy: 'key admin',
    grantedAt: NOW.toISOString(),
  });
  return { acme, globex };
}
