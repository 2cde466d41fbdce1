import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TENANT } from '../../shared/domain/index.ts';
import type { HttpRequest } from '../../shared/http/index.ts';
import { createGithubWebhookHandler } from '../../shared/ingress/index.ts';
import { SECRETS, TOPICS } from '../../shared/ports/index.ts';
import { COLLECTIONS, type Link } from '../../shared/records/index.ts';
import { createScheduler, type RotationRecord, SCHEDULER_COLLECTIONS } from '../../shared/scheduler/index.ts';
import { webhookDelivery } from '../ingress/support/webhook-delivery.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../support/loopback-github/index.ts';
import { type Harness, startHarness, testClock } from './support/scheduler-harness.ts';

const HOUR = 3_600_000;
const TOKEN = 'ghp_rotationtesttoken000000000000000000';
const OLD_SECRET = 'old-webhook-secret-value';
const BRIDGE = 'https://bridge.example.test';
const HOOK_URL = `${BRIDGE}/github/webhook`;

let h: Harness | undefined;
let github: LoopbackGithub | undefined;
afterEach(async () => {
  await h?.close();
  await github?.close();
  h = undefined;
  github = undefined;
});

/** A bridge in token mode (GITHUB_TOKEN) over a loopback GitHub with two repositories. */
async function setup() {
  const clock = testClock();
  github = await startLoopbackGithub({
    repos: {
      'acme/arch': { files: { 'README.md': '# arch\n' } },
      'acme/other': { files: { 'README.md': '#\n' } },
    },
    auth: { tokens: [TOKEN] },
    now: clock.now,
  });
  h = await startHarness(
    {
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: github.url,
      GITHUB_WEBHOOK_SECRET: OLD_SECRET,
      BRIDGE_PUBLIC_URL: BRIDGE,
    },
    clock,
    // GitHub's retries wait milliseconds; circuit cooldowns follow the test clock.
    { githubTuning: { retryBaseMs: 1, rateLimitWaitUnitMs: 1 }, now: clock.ms },
  );
  const scheduler = createScheduler(h.ctx, { github: null, watch: null });
  const ingress = createGithubWebhookHandler(h.ctx);
  const harness = h;
  const gh = github;
  return {
    h: harness,
    github: gh,
    scheduler,
    /** A link of the admin tenant (the bridge's own token serves it); the design is a local file. */
    link: (repo: string) =>
      harness.addLink({
        tenant: ADMIN_TENANT,
        repo: `https://github.com/${repo}`,
        design: 'file:///tmp/d.json',
      }),
    renew: () => scheduler(harness.message(TOPICS.schedulerJobs, { job: 'renew-channels' })),
    rotate: async (id: string) => {
      await scheduler(
        harness.message(
          TOPICS.secretRotation,
          { name: `projects/demo-project/secrets/${SECRETS.githubWebhook}` },
          { eventType: 'SECRET_ROTATE', secretId: `projects/demo-project/secrets/${SECRETS.githubWebhook}` },
          id,
        ),
      );
      return (await harness.ctx.state.get<RotationRecord>(SCHEDULER_COLLECTIONS.rotations, `rot_${id}`))
        ?.data;
    },
    /** Whether the ingress accepts a delivery signed with `secret`. */
    accepts: async (secret: string) => {
      const d = webhookDelivery({ secret });
      const req: HttpRequest = {
        method: 'POST',
        path: '/github/webhook',
        query: new URLSearchParams(),
        headers: d.headers,
        body: async () => d.body,
      };
      const res = await ingress(req);
      return res.status;
    },
    enabled: async () => (await harness.ctx.secrets.accessEnabled(SECRETS.githubWebhook)).map((v) => v.value),
    webhookOf: async (id: string) => (await harness.ctx.state.get<Link>(COLLECTIONS.links, id))?.data.webhook,
    hookSecrets: (repo: string) => gh.repo(repo).hooks.map((x) => x.config.secret),
    secretUpdates: () =>
      gh.requests.filter((r) => r.method === 'PATCH' && /\/hooks\/\d+\/config$/.test(r.path)),
  };
}

describe('webhook secret rotation with a token: the repository hooks the bridge manages', () => {
  it('sets the new secret on every managed hook, once per repository, before the old version is disabled', async () => {
    const t = await setup();
    const a1 = await t.link('acme/arch');
    const a2 = await t.link('acme/arch');
    const b = await t.link('acme/other');
    await t.renew();
    // One check per repository: both links of acme/arch share its hook.
    const hookId = t.github.repo('acme/arch').hooks[0]?.id;
    expect(await t.webhookOf(a1.id)).toMatchObject({ state: 'created', hookId });
    expect(await t.webhookOf(a2.id)).toMatchObject({ state: 'created', hookId });
    expect(t.hookSecrets('acme/arch')).toEqual([OLD_SECRET]);
    expect(t.github.repo('acme/arch').hooks[0]?.config.url).toBe(HOOK_URL);

    const record = await t.rotate('m-1');

    const [current, previous] = await t.enabled();
    expect(previous).toBe(OLD_SECRET);
    expect(t.hookSecrets('acme/arch')).toEqual([current]);
    expect(t.hookSecrets('acme/other')).toEqual([current]);
    expect(t.secretUpdates()).toHaveLength(2);
    t.github.assertValid();
    const version = (await t.h.ctx.secrets.accessLatest(SECRETS.githubWebhook))?.version;
    for (const link of [a1, a2, b]) {
      expect(await t.webhookOf(link.id)).toMatchObject({ secret: 'current', secretVersion: version });
    }
    expect(record).toMatchObject({ status: 'done', repoHooks: { updated: 2, failed: 0 } });
    expect(t.h.lines.join('\n')).not.toContain(current);
    expect(t.h.lines.join('\n')).not.toContain('set it on the hook by hand');

    // Nothing left to update: the renewals change no hook, and the old version goes after the grace period.
    t.h.clock.advance(23 * HOUR);
    await t.renew();
    expect(await t.enabled()).toEqual([current, OLD_SECRET]);
    t.h.clock.advance(2 * HOUR);
    await t.renew();
    expect(await t.enabled()).toEqual([current]);
    expect(t.secretUpdates()).toHaveLength(2);
    expect(await t.accepts(current!)).toBe(202);
    expect(await t.accepts(OLD_SECRET)).toBe(401);
  });

  it.each([
    [403, 'Resource not accessible by personal access token'],
    [503, 'Service Unavailable'],
  ])(
    'an update refused (%i) keeps the old version enabled and says why, until a retry succeeds',
    async (status, said) => {
      const t = await setup();
      const link = await t.link('acme/arch');
      await t.renew();
      const refused = t.github.injectFault({
        method: 'PATCH',
        path: '/hooks/',
        status,
        body: { message: said },
        times: Number.POSITIVE_INFINITY,
      });

      const record = await t.rotate('m-1');
      const [current] = await t.enabled();
      expect(t.hookSecrets('acme/arch')).toEqual([OLD_SECRET]);
      expect(record).toMatchObject({ status: 'done', repoHooks: { updated: 0, failed: 1 } });
      expect(record?.oldVersionsKept?.join('\n')).toContain('acme/arch');
      const webhook = await t.webhookOf(link.id);
      expect(webhook).toMatchObject({ state: 'created', secret: 'previous' });
      expect(webhook?.message).toContain('previous webhook secret');

      // Long past the grace period the old version stays: GitHub still signs with it.
      for (let i = 0; i < 3; i++) {
        t.h.clock.advance(24 * HOUR);
        await t.renew();
      }
      expect(await t.enabled()).toEqual([current, OLD_SECRET]);
      expect(await t.accepts(OLD_SECRET)).toBe(202);
      expect(await t.accepts(current!)).toBe(202);
      const tries = t.secretUpdates().length;
      expect(tries).toBeGreaterThanOrEqual(4);

      // The hourly renewal retries; once the hook has the new secret, the next renewal disables the old one.
      refused.cancel();
      await t.renew();
      expect(t.hookSecrets('acme/arch')).toEqual([current]);
      expect(await t.webhookOf(link.id)).toMatchObject({ state: 'created', secret: 'current' });
      expect(await t.enabled()).toEqual([current, OLD_SECRET]);
      t.h.clock.advance(HOUR);
      await t.renew();
      expect(await t.enabled()).toEqual([current]);
      expect(t.secretUpdates()).toHaveLength(tries + 1);
    },
  );

  it('a repository linked by two tenants gets one update, with the credentials of a tenant that may', async () => {
    const t = await setup();
    // Listed first, and its tenant may not use the bridge's token on acme/arch (no grant).
    const stranger = await t.h.addLink({
      tenant: 'tenant-a',
      repo: 'https://github.com/acme/arch',
      design: 'file:///tmp/d.json',
      webhook: {
        state: 'exists',
        hookId: 1,
        message: 'a webhook delivers',
        at: t.h.clock.now().toISOString(),
      },
    });
    const own = await t.link('acme/arch');
    await t.renew();
    const before = t.secretUpdates().length;

    const record = await t.rotate('m-1');

    const [current] = await t.enabled();
    expect(t.hookSecrets('acme/arch')).toEqual([current]);
    expect(t.secretUpdates()).toHaveLength(before + 1);
    expect(record).toMatchObject({ repoHooks: { updated: 1, failed: 0 } });
    expect(record?.oldVersionsKept).toBeUndefined();
    for (const link of [stranger, own])
      expect(await t.webhookOf(link.id)).toMatchObject({ secret: 'current' });
  });

  it('a hook kept by hand keeps the old version enabled, and its link says what to do', async () => {
    const t = await setup();
    t.github.injectFault({
      method: 'POST',
      path: /^\/repos\/acme\/arch\/hooks$/,
      status: 403,
      body: { message: 'Resource not accessible by personal access token' },
      times: Number.POSITIVE_INFINITY,
    });
    const manual = await t.link('acme/arch');
    const managed = await t.link('acme/other');
    await t.renew();
    const webhook = await t.webhookOf(manual.id);
    expect(webhook?.state).toBe('manual');
    expect(webhook?.message).toMatch(/rotat/);
    expect(webhook?.message).toContain('by hand');

    const record = await t.rotate('m-1');
    const [current] = await t.enabled();
    expect(t.hookSecrets('acme/other')).toEqual([current]);
    expect(await t.webhookOf(managed.id)).toMatchObject({ secret: 'current' });
    expect(record?.oldVersionsKept?.join('\n')).toContain('acme/arch');
    expect(record?.oldVersionsKept?.join('\n')).toContain('by hand');

    t.h.clock.advance(100 * HOUR);
    await t.renew();
    expect(await t.enabled()).toEqual([current, OLD_SECRET]);
    expect(await t.accepts(OLD_SECRET)).toBe(202);
  });
});
