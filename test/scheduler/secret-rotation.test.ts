import { afterEach, describe, expect, it } from 'vitest';
import {
  decryptCredential,
  type EncryptedCredential,
  encryptCredential,
  loadKeyring,
} from '../../shared/crypto/index.ts';
import { listChannels } from '../../shared/ingress/index.ts';
import { SECRETS, TOPICS } from '../../shared/ports/index.ts';
import {
  createScheduler,
  DRIVE_CHANNEL_TOKENS_SECRET,
  type RotationRecord,
  renewChannels,
  SCHEDULER_COLLECTIONS,
} from '../../shared/scheduler/index.ts';
import { type DriveHarness, startDriveHarness } from './support/drive-setup.ts';
import { type LoopbackAppHooks, startLoopbackAppHooks } from './support/loopback-app-hooks.ts';
import { type Harness, startHarness, testClock } from './support/scheduler-harness.ts';

const HOUR = 3_600_000;
const OLD_SECRET = 'old-webhook-secret-value';

let h: Harness | DriveHarness | undefined;
let hooks: LoopbackAppHooks | undefined;
afterEach(async () => {
  await h?.close();
  await hooks?.close();
  h = undefined;
  hooks = undefined;
});

/** A Secret Manager rotation notification as Pub/Sub delivers it. */
const rotateMessage = (harness: Harness, secret: string, id?: string, eventType = 'SECRET_ROTATE') =>
  harness.message(
    TOPICS.secretRotation,
    { name: `projects/demo-project/secrets/${secret}` },
    { eventType, secretId: `projects/demo-project/secrets/${secret}`, dataFormat: 'JSON' },
    id,
  );

const enabledValues = async (harness: Harness) =>
  (await harness.ctx.secrets.accessEnabled(SECRETS.githubWebhook)).map((v) => v.value);

async function setupWithApp() {
  const clock = testClock();
  hooks = await startLoopbackAppHooks({ now: clock.now });
  const harness = await startHarness(
    {
      GITHUB_APP_ID: hooks.appId,
      GITHUB_APP_PRIVATE_KEY: hooks.privateKey,
      GITHUB_API_URL: hooks.url,
      GITHUB_WEBHOOK_SECRET: OLD_SECRET,
    },
    clock,
  );
  h = harness;
  return { h: harness, hooks };
}

describe('webhook secret rotation', () => {
  it('adds a new version, keeps the old one accepted through the grace period, and updates the App hook', async () => {
    const { h, hooks } = await setupWithApp();
    const scheduler = createScheduler(h.ctx);

    await scheduler(rotateMessage(h, SECRETS.githubWebhook, 'm-1'));

    const [current, previous] = await enabledValues(h);
    expect(previous).toBe(OLD_SECRET);
    expect(current).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hooks.configUpdates).toEqual([{ secret: current }]);
    expect(hooks.schemaErrors).toEqual([]);
    const record = await h.ctx.state.get<RotationRecord>(SCHEDULER_COLLECTIONS.rotations, 'rot_m-1');
    expect(record?.data).toMatchObject({
      secret: SECRETS.githubWebhook,
      status: 'done',
      githubHook: 'updated',
      rotatedAt: h.clock.now().toISOString(),
    });
    expect(h.lines.join('\n')).not.toContain(current);

    // Still inside the grace period: the renew job keeps both.
    h.clock.advance(23 * HOUR);
    await scheduler(h.message(TOPICS.schedulerJobs, { job: 'renew-channels' }));
    expect(await enabledValues(h)).toEqual([current, OLD_SECRET]);

    // Past it: the old one is disabled, the newest always stays.
    h.clock.advance(2 * HOUR);
    await scheduler(h.message(TOPICS.schedulerJobs, { job: 'renew-channels' }));
    expect(await enabledValues(h)).toEqual([current]);
    h.clock.advance(100 * HOUR);
    await scheduler(h.message(TOPICS.schedulerJobs, { job: 'renew-channels' }));
    expect(await enabledValues(h)).toEqual([current]);
  });

  it('rotates once when the same message is delivered twice', async () => {
    const { h, hooks } = await setupWithApp();
    const scheduler = createScheduler(h.ctx);
    const message = rotateMessage(h, SECRETS.githubWebhook, 'm-dup');
    await scheduler(message);
    await scheduler({ ...message, deliveryAttempt: 2 });
    expect(await enabledValues(h)).toHaveLength(2);
    expect(hooks.configUpdates).toHaveLength(1);

    // A new rotation (new message) rotates again; both earlier values stay within the grace period.
    await scheduler(rotateMessage(h, SECRETS.githubWebhook, 'm-next'));
    expect(await enabledValues(h)).toHaveLength(3);
    expect(hooks.configUpdates).toHaveLength(2);
  });

  it('resumes a rotation whose hook update failed with the version it already added', async () => {
    const { h, hooks } = await setupWithApp();
    const scheduler = createScheduler(h.ctx);
    hooks.failNextConfigUpdate(502);
    const message = rotateMessage(h, SECRETS.githubWebhook, 'm-retry');

    await expect(scheduler(message)).rejects.toMatchObject({ code: 'unavailable' });
    const [added] = await enabledValues(h);
    await scheduler({ ...message, deliveryAttempt: 2 });

    expect(await enabledValues(h)).toEqual([added, OLD_SECRET]);
    expect(hooks.configUpdates).toEqual([{ secret: added }]);
  });

  it('without a GitHub App, rotates the stored secret and records that the hook was not updated', async () => {
    const harness = await startHarness({ GITHUB_WEBHOOK_SECRET: OLD_SECRET });
    h = harness;
    await createScheduler(harness.ctx)(rotateMessage(harness, SECRETS.githubWebhook, 'm-1'));
    expect(await enabledValues(harness)).toHaveLength(2);
    const record = await harness.ctx.state.get<RotationRecord>(SCHEDULER_COLLECTIONS.rotations, 'rot_m-1');
    expect(record?.data).toMatchObject({ status: 'done', githubHook: 'no GitHub App' });
  });
});

describe('other rotation messages', () => {
  it.each(['SECRET_VERSION_ADD', 'SECRET_VERSION_DISABLE', 'SECRET_UPDATE'])(
    'acknowledges and ignores %s',
    async (eventType) => {
      const harness = await startHarness({ GITHUB_WEBHOOK_SECRET: OLD_SECRET });
      h = harness;
      await createScheduler(harness.ctx)(rotateMessage(harness, SECRETS.githubWebhook, 'm-1', eventType));
      expect(await enabledValues(harness)).toEqual([OLD_SECRET]);
      expect(await harness.ctx.state.query(SCHEDULER_COLLECTIONS.rotations)).toEqual([]);
    },
  );

  it('records a rotation it cannot perform (the App private key) and acknowledges it', async () => {
    const harness = await startHarness();
    h = harness;
    await createScheduler(harness.ctx)(rotateMessage(harness, SECRETS.githubAppPrivateKey, 'm-key'));
    const record = await harness.ctx.state.get<RotationRecord>(SCHEDULER_COLLECTIONS.rotations, 'rot_m-key');
    expect(record?.data.status).toBe('unsupported');
  });

  it('re-encrypts stored credentials under a new data key, once per message', async () => {
    const harness = await startHarness();
    h = harness;
    const { ctx } = harness;
    const v1 = await loadKeyring(ctx.secrets, { createIfMissing: true });
    await ctx.state.set('credentials', 'user-1', {
      secret: encryptCredential('ghu_user1token', v1),
      refreshSecret: encryptCredential('ghr_user1refresh', v1),
    });
    const scheduler = createScheduler(ctx);
    const message = rotateMessage(harness, SECRETS.dataKey, 'm-key-1');

    await scheduler(message);
    await scheduler({ ...message, deliveryAttempt: 2 });

    const keys = await loadKeyring(ctx.secrets);
    expect(keys.keys.size).toBe(2);
    expect(keys.current.kid).not.toBe(v1.current.kid);
    const doc = await ctx.state.get<{ secret: EncryptedCredential; refreshSecret: EncryptedCredential }>(
      'credentials',
      'user-1',
    );
    expect(doc?.data.secret.kid).toBe(keys.current.kid);
    expect(decryptCredential(doc?.data.secret, keys)).toBe('ghu_user1token');
    // The refresh token of an expiring user token is re-encrypted too.
    expect(doc?.data.refreshSecret.kid).toBe(keys.current.kid);
    expect(decryptCredential(doc?.data.refreshSecret, keys)).toBe('ghr_user1refresh');
    const record = await ctx.state.get<RotationRecord>(SCHEDULER_COLLECTIONS.rotations, 'rot_m-key-1');
    expect(record?.data.reencrypted).toEqual([
      { collection: 'credentials', field: 'secret', checked: 1, reencrypted: 1, failed: 0 },
      { collection: 'credentials', field: 'refreshSecret', checked: 1, reencrypted: 1, failed: 0 },
    ]);
  });

  it('renews every Drive channel with a new token on a channel-token rotation', async () => {
    const d = await startDriveHarness(['fileA', 'fileB']);
    h = d;
    await d.addLink({ design: 'https://drive.google.com/file/d/fileA' });
    await d.addLink({ design: 'https://drive.google.com/file/d/fileB' });
    await renewChannels(d.ctx);
    const before = await listChannels(d.ctx.state);

    await createScheduler(d.ctx)(rotateMessage(d, DRIVE_CHANNEL_TOKENS_SECRET, 'm-tokens'));

    const after = await listChannels(d.ctx.state);
    expect(after).toHaveLength(2);
    const oldTokens = new Set(before.map((c) => c.token));
    expect(after.every((c) => !oldTokens.has(c.token) && !before.some((b) => b.id === c.id))).toBe(true);
    const remote = d.drive.channels();
    expect(
      remote
        .filter((c) => c.stopped)
        .map((c) => c.id)
        .sort(),
    ).toEqual(before.map((c) => c.id).sort());
    expect(
      remote
        .filter((c) => !c.stopped)
        .map((c) => c.token)
        .sort(),
    ).toEqual(after.map((c) => c.token).sort());
  });
});
