import { afterEach, describe, expect, it } from 'vitest';
import type { AiStatus } from '../../shared/ports/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { summaryRequest } from './support.ts';

let bridge: TestBridge | undefined;
let loop: LoopbackAi | undefined;
afterEach(async () => {
  await bridge?.close();
  await loop?.close();
  bridge = undefined;
  loop = undefined;
});

describe('GET /api/v1/health: the ai section', () => {
  it('says the layer is off when no key is set, and the context has no gateway', async () => {
    bridge = await startTestBridge();
    const res = await bridge.api<{ ai: unknown }>('GET', '/api/v1/health');
    expect(res.body.ai).toEqual({ enabled: false, reason: 'no AI provider key is set' });
    expect(await bridge.ctx.ai()).toBeUndefined();
  });

  it('shows each provider’s circuit, open after repeated failures; the key never reaches a log line', async () => {
    loop = await startLoopbackAi();
    const key = 'sk-proj-health-test-0123456789abcdef';
    bridge = await startTestBridge({ OPENAI_API_KEY: key, OPENAI_BASE_URL: loop.baseUrls.openai });
    const before = await bridge.api<{ ai: AiStatus }>('GET', '/api/v1/health');
    expect(before.body.ai).toMatchObject({
      enabled: true,
      policy: 'cost',
      providers: [{ provider: 'openai', model: 'gpt-4.1-mini', circuit: { phase: 'closed', requests: 0 } }],
    });
    loop.fault('openai', { status: 500, times: Number.POSITIVE_INFINITY });
    const ai = await bridge.ctx.ai();
    for (let i = 0; i < 5; i++)
      await expect(ai?.generate(summaryRequest())).rejects.toMatchObject({ code: 'unavailable' });
    const after = await bridge.api<{ ai: AiStatus }>('GET', '/api/v1/health');
    expect(after.body.ai.providers[0]?.circuit.phase).toBe('open');
    expect(after.body.ai.providers[0]?.lastFailure).toMatchObject({ code: 'upstream_failed' });
    expect(loop.requests[0]?.headers.authorization).toBe(`Bearer ${key}`);
    bridge.ctx.logger.info('probe', { key });
    expect(bridge.logs.join('\n')).not.toContain(key);
  });
});
