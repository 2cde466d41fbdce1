import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFor, localSides, openConflictOn, renameCoreOnBothSides, tenantKey } from '../api/support.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { commitFiles } from '../support/local-git.ts';
import { runCli } from './support.ts';

/** What a sync did, readable status and drift, policies and bulk resolution, against a real server. */
describe('bridge CLI reports against a real server', () => {
  let bridge: TestBridge;
  let tenant: Record<string, string>;
  /** `sync --wait` polls; between polls the test waits for the bus instead of a timer. */
  const cli = (argv: string[], env = tenant) => runCli(argv, env, { sleep: () => bridge.idle() });

  beforeAll(async () => {
    bridge = await startTestBridge();
    tenant = { BRIDGE_URL: bridge.url, BRIDGE_TOKEN: (await tenantKey(bridge, 'cli-reports')).key };
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('link add --policy sets the policy fields given', async () => {
    const sides = await localSides(bridge);
    const res = await cli([
      'link',
      'add',
      sides.repo,
      sides.design,
      '--policy',
      'writes=direct',
      '--policy',
      'onConflict=manual',
      '--json',
    ]);
    expect(res.code, res.err).toBe(0);
    expect(res.json()).toMatchObject({
      policy: { writes: 'direct', onConflict: 'manual', onRemoval: 'manual' },
    });
    await bridge.idle();
    const bad = await cli(['link', 'add', sides.repo, sides.design, '--policy', 'writes=sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('policy.writes');
  });

  it('sync --wait names the conflict it opened and exits 5 (manual policy, both sides renamed core)', async () => {
    const link = await linkFor(bridge, tenant.BRIDGE_TOKEN, { writes: 'direct', onConflict: 'manual' });
    await renameCoreOnBothSides(link, { design: 'Core A', repo: 'Core B' });
    const res = await cli(['sync', link.id, '--wait']);
    expect(res.code, res.out + res.err).toBe(5);
    expect(res.out).toMatch(/^succeeded \(/);
    expect(res.out).toContain('1 conflict opened, waiting for a decision:');
    expect(res.out).toMatch(new RegExp(`\\n    ${link.id}_\\w+  core · name \\(field\\)\\n`));
    // The next sync finds the same disagreement: nothing new was opened.
    const again = await cli(['sync', link.id, '--wait']);
    expect(again.code, again.out).toBe(0);
  });

  it('status <link> is readable; drift prints the findings’ messages', async () => {
    const link = await linkFor(bridge, tenant.BRIDGE_TOKEN);
    const status = await cli(['status', link.id]);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(new RegExp(`^${link.id}: synced\\n  repository   file://`));
    expect(status.out).toContain('  policy       writes direct, on conflict design-wins');
    await commitFiles(link.repoDir, 'main', { 'services/reporting/requirements.txt': 'pandas==2.2.0\n' });
    expect((await cli(['sync', link.id, '--wait'])).code).toBe(0);
    const drift = await cli(['drift', link.id]);
    expect(drift.code).toBe(0);
    expect(drift.out).toMatch(/^1 drift finding \(computed /);
    expect(drift.out).toContain('  implemented-not-designed  services/reporting/');
  });

  it('link set changes the policy and prints the change; the API shows it', async () => {
    const link = await linkFor(bridge, tenant.BRIDGE_TOKEN);
    const res = await cli([
      'link',
      'set',
      link.id,
      '--policy',
      'onRemoval=propagate',
      '--mode',
      'report-only',
    ]);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toBe(
      `updated link ${link.id}:\n  policy.onRemoval: manual → propagate\n  policy.mode: sync → report-only\n`,
    );
    const shown = await cli(['link', 'show', link.id, '--json']);
    expect(shown.json()).toMatchObject({ policy: { onRemoval: 'propagate', mode: 'report-only' } });
    const bad = await cli(['link', 'set', link.id, '--policy', 'writes=sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('policy');
  });

  it('resolve --all settles every open conflict of the link with one sync', async () => {
    const link = await linkFor(bridge, tenant.BRIDGE_TOKEN, { writes: 'direct', onConflict: 'manual' });
    await openConflictOn(bridge, link, { design: 'Core X', repo: 'Core Y' });
    const res = await cli(['resolve', link.id, '--all', '--take', 'definitions']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/^settled 1 conflict with the definitions side; sync op_\w+ queued\n$/);
    await bridge.idle();
    const open = await cli(['conflicts', link.id, '--json']);
    expect(open.json<{ items: unknown[] }>().items).toEqual([]);
  });
});
