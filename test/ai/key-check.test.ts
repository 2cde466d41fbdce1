import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AiStatus } from '../../shared/ports/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackAi, type LoopbackProvider, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { loopbackGateway, summaryRequest } from './support.ts';

let loop: LoopbackAi;
beforeEach(async () => {
  loop = await startLoopbackAi();
});
afterEach(async () => {
  await loop.close();
});

const KEYS: Record<LoopbackProvider, string> = {
  openai: 'sk-loopback-openai',
  anthropic: 'sk-ant-loopback',
  gemini: 'loopback-gemini-key',
};
const entry = (status: AiStatus, provider: LoopbackProvider) =>
  status.providers.find((p) => p.provider === provider);

describe('each configured key is checked once, by listing models, in the background', () => {
  it('asks each API its real list-models route with the key', async () => {
    const gateway = loopbackGateway(loop);
    await gateway.keysChecked();
    expect(loop.modelLists.map((r) => [r.provider, r.path]).sort()).toEqual([
      ['anthropic', '/v1/models'],
      ['gemini', '/v1/models'],
      ['openai', '/v1/models'],
    ]);
    for (const p of ['openai', 'anthropic', 'gemini'] as const)
      expect(entry(gateway.status(), p)?.keyValid).toBe(true);
    expect(loop.requests).toEqual([]);
  });

  for (const provider of ['openai', 'anthropic', 'gemini'] as const) {
    it(`${provider}: a refused key shows in the status and the router skips the provider`, async () => {
      loop.refuseKey(provider, KEYS[provider]);
      const other = provider === 'openai' ? 'gemini' : 'openai';
      const gateway = loopbackGateway(loop, {}, {}, [provider, other]);
      await gateway.keysChecked();
      expect(entry(gateway.status(), provider)).toMatchObject({
        keyValid: false,
        lastFailure: { code: 'config_invalid' },
      });
      expect(entry(gateway.status(), other)?.keyValid).toBe(true);
      for (let i = 0; i < 3; i++) {
        const answer = await gateway.generate(summaryRequest());
        expect(answer.provider).toBe(other);
      }
      // Never tried: not one generation request reached it.
      expect(loop.requests.map((r) => r.provider)).toEqual([other, other, other]);
    });
  }

  it('gemini: a key refused at call time (400 API_KEY_INVALID) fails over, and is then skipped', async () => {
    loop.slowModelList('gemini', 60_000); // the check cannot tell yet
    const gateway = loopbackGateway(loop, {}, {}, ['gemini', 'anthropic']);
    loop.refuseKey('gemini', KEYS.gemini);
    const first = await gateway.generate(summaryRequest());
    expect(first.failedOver).toEqual([{ provider: 'gemini', code: 'config_invalid' }]);
    expect(entry(gateway.status(), 'gemini')?.keyValid).toBe(false);
    const second = await gateway.generate(summaryRequest());
    expect(second.failedOver).toEqual([]);
    expect(loop.requests.map((r) => r.provider)).toEqual(['gemini', 'anthropic', 'anthropic']);
  });

  it('a check that cannot finish says nothing (keyValid unset) and skips nothing', async () => {
    loop.slowModelList('openai', 60_000);
    const gateway = loopbackGateway(loop, {}, {}, ['openai']);
    const answer = await gateway.generate(summaryRequest());
    expect(answer.provider).toBe('openai');
    expect(entry(gateway.status(), 'openai')?.keyValid).toBeUndefined();
  });

  it('when every key is refused the caller hears so, without a call', async () => {
    loop.refuseKey('openai', KEYS.openai);
    const gateway = loopbackGateway(loop, {}, {}, ['openai']);
    await gateway.keysChecked();
    await expect(gateway.generate(summaryRequest())).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('refused'),
    });
    expect(loop.requests).toEqual([]);
  });
});

describe('a stored key: refused, then replaced by a new version', () => {
  let bridge: TestBridge | undefined;
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  it('health shows keyValid: false; the next version is checked, used, and the old one no longer sent', async () => {
    const bad = 'sk-proj-refused-0123456789abcdef';
    const good = 'sk-proj-replacement-0123456789abcdef';
    loop.refuseKey('openai', bad);
    bridge = await startTestBridge({ OPENAI_BASE_URL: loop.baseUrls.openai });
    await bridge.ctx.secrets.addVersion(SECRETS.openaiApiKey, bad);
    const health = async () =>
      entry((await bridge!.api<{ ai: AiStatus }>('GET', '/api/v1/health')).body.ai, 'openai');
    await vi.waitFor(async () => expect(await health()).toMatchObject({ keyValid: false }));
    const ai = await bridge.ctx.ai();
    await expect(ai?.generate(summaryRequest())).rejects.toMatchObject({ code: 'unavailable' });
    expect(loop.requests).toEqual([]);

    await bridge.ctx.secrets.addVersion(SECRETS.openaiApiKey, good);
    const answer = await ai?.generate(summaryRequest());
    expect(answer?.provider).toBe('openai');
    expect(loop.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${good}`]);
    await vi.waitFor(async () => expect((await health())?.keyValid).toBe(true));
    expect(loop.modelLists.map((r) => r.headers.authorization)).toEqual([`Bearer ${bad}`, `Bearer ${good}`]);
    bridge.ctx.logger.info('probe', { bad, good });
    const logs = bridge.logs.join('\n');
    expect(logs).not.toContain(bad);
    expect(logs).not.toContain(good);
  });
});
