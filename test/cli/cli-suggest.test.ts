import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSuggestionLink } from '../api/suggestion-seed.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { fakeFetch, runCli } from './support.ts';

const LINK = 'lnk_clisuggest00001';

describe('bridge conflicts suggest against a real server', () => {
  let bridge: TestBridge;
  let env: Record<string, string>;
  let ids: Record<string, string>;
  const cli = (argv: string[]) => runCli(argv, env, { sleep: () => bridge.idle() });

  beforeAll(async () => {
    bridge = await startTestBridge();
    env = { BRIDGE_URL: bridge.url, BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN };
    ids = await seedSuggestionLink(bridge.ctx.state, LINK);
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('prints the suggestion, its rationale and why no model was used; applies nothing', async () => {
    const res = await cli(['conflicts', 'suggest', LINK, ids.version ?? '']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(
      new RegExp(
        `^suggestion for ${ids.version}: take definitions \\(from the policy\\)\\n  .*2\\.0\\.0 is a major step over 1\\.2\\.0.*\\n  \\(model not used: no AI provider is configured\\)\\n$`,
      ),
    );
    const open = await cli(['conflicts', LINK, '--json']);
    expect(open.json<{ items: unknown[] }>().items).toHaveLength(5);
  });

  it('--json gives the API’s answer', async () => {
    const res = await cli(['conflicts', 'suggest', LINK, ids.technologies ?? '', '--json']);
    expect(res.json()).toMatchObject({
      choice: 'merged',
      value: ['TypeScript', 'Postgres', 'Redis', 'Kafka'],
      source: 'policy',
      apply: { take: 'value', value: ['TypeScript', 'Postgres', 'Redis', 'Kafka'] },
    });
  });

  it('--apply shows it, then resolves through the resolve route; a second --apply exits 5', async () => {
    const res = await cli(['conflicts', 'suggest', LINK, ids.technologies ?? '', '--apply']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(
      /^suggestion for \S+: a merged value: \["TypeScript","Postgres","Redis","Kafka"\]/,
    );
    expect(res.out).toMatch(new RegExp(`\\napplied: resolved ${ids.technologies}; sync op_\\w+ queued\\n$`));
    await bridge.idle();
    const settled = await cli(['conflicts', LINK, '--state', 'settled', '--json']);
    expect(settled.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({
        id: ids.technologies,
        resolution: 'value',
        value: ['TypeScript', 'Postgres', 'Redis', 'Kafka'],
      }),
    ]);
    const again = await cli(['conflicts', 'suggest', LINK, ids.technologies ?? '', '--apply']);
    expect(again.code).toBe(5);
    expect(again.err).toContain('already settled');
  });

  it('an unknown conflict exits 4; a missing conflict id is a usage error', async () => {
    expect((await cli(['conflicts', 'suggest', LINK, 'nope'])).code).toBe(4);
    const usage = await cli(['conflicts', 'suggest', LINK]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('missing conflict id');
  });
});

describe('bridge conflicts suggest output', () => {
  it('shows control characters in a model’s text as escapes, never sends them to the terminal', async () => {
    const server = fakeFetch(() => ({
      status: 200,
      body: {
        conflictId: 'c1',
        choice: 'merged',
        value: 'x',
        rationale: 'clear \u001b[2J screen\u0007',
        source: 'model',
        apply: { take: 'value', value: 'x' },
      },
    }));
    const res = await runCli(
      ['conflicts', 'suggest', 'lnk_1', 'c1'],
      { BRIDGE_URL: 'http://bridge.test' },
      {
        fetch: server.fetch,
      },
    );
    expect(res.code).toBe(0);
    expect(res.out).toContain('clear \\u001b[2J screen\\u0007');
    expect(res.out.includes('\u001b') || res.out.includes('\u0007')).toBe(false);
    expect(server.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'GET /api/v1/links/lnk_1/conflicts/c1/suggestion',
    ]);
  });
});
