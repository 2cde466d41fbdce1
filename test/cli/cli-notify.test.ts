import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../notifications/support.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { runCli } from './support.ts';

describe('bridge notify against a real server', () => {
  let bridge: TestBridge;
  let receiver: Receiver;
  let env: Record<string, string>;
  const cli = (argv: string[]) => runCli(argv, env, { sleep: () => bridge.idle() });

  beforeAll(async () => {
    bridge = await startTestBridge();
    receiver = await startReceiver();
    env = { BRIDGE_URL: bridge.url, BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN };
  });
  afterAll(async () => {
    await bridge?.close();
    await receiver?.close();
  });

  it('add (the generated key shown once), list, test and rm', async () => {
    const added = await cli([
      'notify',
      'add',
      '--webhook',
      `${receiver.url}/hook`,
      '--trigger',
      'sync-failed',
      '--json',
    ]);
    expect(added.code, added.err).toBe(0);
    const sub = added.json<{ id: string; secret: string; triggers: string[] }>();
    expect(sub.triggers).toEqual(['sync-failed']);
    expect(sub.secret.length).toBeGreaterThan(30);

    const listed = await cli(['notify', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(sub.id);
    expect(listed.out).not.toContain(sub.secret);

    const tested = await cli(['notify', 'test', sub.id]);
    expect(tested.out).toMatch(/^test notification queued/);
    await bridge.idle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers['x-bridge-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);

    expect((await cli(['notify', 'rm', sub.id])).out).toBe(`deleted ${sub.id}\n`);
    expect((await cli(['notify', 'rm', sub.id])).code).toBe(4);
  });

  it('usage errors: no channel, two channels, a bad issue number', async () => {
    for (const argv of [
      ['notify', 'add'],
      ['notify', 'add', '--slack', 'https://hooks.slack.com/x', '--webhook', 'https://example.com/x'],
      ['notify', 'add', '--github-issue', 'seven'],
      ['notify', 'frobnicate'],
    ]) {
      const res = await cli(argv);
      expect(res.code, argv.join(' ')).toBe(2);
    }
    const refused = await cli(['notify', 'add', '--webhook', 'http://example.com/x']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/https/);
  });
});
