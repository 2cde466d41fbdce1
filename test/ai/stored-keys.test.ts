import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SECRETS } from '../../shared/ports/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { summaryRequest } from './support.ts';

const FIRST = 'sk-proj-stored-first-0123456789abcdef';
const SECOND = 'sk-proj-stored-second-0123456789abcdef';

describe('AI provider keys from the secret store, read at use time', () => {
  let loop: LoopbackAi;
  let bridge: TestBridge;
  beforeAll(async () => {
    loop = await startLoopbackAi();
    // No OPENAI_API_KEY setting: only its base URL; the key is a secret version.
    bridge = await startTestBridge({ OPENAI_BASE_URL: loop.baseUrls.openai });
    await bridge.ctx.secrets.addVersion(SECRETS.openaiApiKey, FIRST);
  });
  afterAll(async () => {
    await bridge?.close();
    await loop?.close();
  });

  it('a stored key enables the provider; a new version is used by the next call without a restart', async () => {
    const ai = await bridge.ctx.ai();
    expect(ai).toBeDefined();
    await ai?.generate(summaryRequest());
    expect(loop.requests.at(-1)?.headers.authorization).toBe(`Bearer ${FIRST}`);
    await vi.waitFor(() => expect(ai?.status().providers[0]?.keyValid).toBe(true));
    expect(loop.modelLists.map((r) => r.headers.authorization)).toEqual([`Bearer ${FIRST}`]);
    const [callsBefore, checksBefore] = [loop.requests.length, loop.modelLists.length];
    await bridge.ctx.secrets.addVersion(SECRETS.openaiApiKey, SECOND);
    await ai?.generate(summaryRequest());
    await ai?.generate(summaryRequest());
    // From the next call on, only the new key goes out: calls, and the check of the new key.
    await vi.waitFor(() => expect(loop.modelLists.length).toBe(checksBefore + 1));
    const sent = [...loop.requests.slice(callsBefore), ...loop.modelLists.slice(checksBefore)];
    expect(sent.map((r) => r.headers.authorization)).toEqual(Array(3).fill(`Bearer ${SECOND}`));
    expect(ai?.status().providers[0]?.keyValid).toBe(true);
    bridge.ctx.logger.info('probe', { first: FIRST, second: SECOND });
    const logs = bridge.logs.join('\n');
    expect(logs).not.toContain(FIRST);
    expect(logs).not.toContain(SECOND);
  });

  it('asks the store for the three providers’ keys at once, not one after another', async () => {
    const other = await startTestBridge({ OPENAI_BASE_URL: loop.baseUrls.openai });
    try {
      const store = other.ctx.secrets;
      const real = store.accessLatest.bind(store);
      let inFlight = 0;
      let most = 0;
      vi.spyOn(store, 'accessLatest').mockImplementation(async (name) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return real(name);
      });
      await other.ctx.ai();
      expect(most).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('without a setting or a stored version the layer stays off', async () => {
    const other = await startTestBridge({ OPENAI_BASE_URL: loop.baseUrls.openai });
    try {
      expect(await other.ctx.ai()).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('AI_AUDIT_STORE_PROMPTS', () => {
  it('keeps the scrubbed prompt in the audit record only when set', async () => {
    const loop = await startLoopbackAi();
    const env = { OPENAI_API_KEY: 'sk-loopback-openai', OPENAI_BASE_URL: loop.baseUrls.openai };
    const keeping = await startTestBridge({ ...env, AI_AUDIT_STORE_PROMPTS: 'true' });
    const plain = await startTestBridge(env);
    try {
      const data = 'the design of acme; contact ops@example.com';
      for (const b of [keeping, plain]) await (await b.ctx.ai())?.generate(summaryRequest({ data }));
      const kept = await keeping.api<{ items: Array<{ prompt?: string }> }>('GET', '/api/v1/ai/calls');
      expect(kept.body.items[0]?.prompt).toContain('the design of acme');
      expect(kept.body.items[0]?.prompt).not.toContain('ops@example.com');
      const none = await plain.api<{ items: Array<{ prompt?: string }> }>('GET', '/api/v1/ai/calls');
      expect(none.body.items[0]).toBeDefined();
      expect(none.body.items[0]?.prompt).toBeUndefined();
    } finally {
      await keeping.close();
      await plain.close();
      await loop.close();
    }
  });
});
