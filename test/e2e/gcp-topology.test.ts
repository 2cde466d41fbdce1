import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DesignExport, definitionPath } from '../../shared/domain/index.ts';
import type { DeadLetter } from '../../shared/ports/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';
import type { Link, Operation } from '../../shared/records/index.ts';
import { TOPICS } from '../../shared/topology/index.ts';
import { emulatorsMissing } from '../support/emulators/gcloud-emulators.ts';
import {
  api,
  createLink,
  deliver,
  designOfFile,
  editDesign,
  finished,
  pushDelivery,
  settled,
  until,
} from './support/bridge-client.ts';
import { startTopology, type Topology } from './support/topology.ts';

/*
 * The five functions as Cloud Run runs them, each its own Functions Framework process with the
 * environment terraform/functions.tf gives it, connected by the push subscriptions shared/topology
 * declares on Google's Pub/Sub emulator, their state in Google's Firestore emulator, their secrets in
 * a loopback Secret Manager (one view per function, with its grants), GitHub and Drive as loopback
 * servers. Only sync-requests keeps its dead-letter policy (the dead-letter scenario needs it, and the
 * emulator loses messages on an ordered subscription that has one); the other push subscriptions keep
 * message ordering, which the duplicate scenario relies on (see support/deploy-topology.ts).
 */
const missing = await emulatorsMissing();
if (missing) console.warn(`GCP topology end-to-end tests skipped: ${missing}`);

const REPO = 'acme/platform';
const DESIGN = 'design-platform';
const OUTAGE_REPO = 'acme/outage';
const OUTAGE_DESIGN = 'design-outage';

const component = (design: DesignExport, id: string) => design.components.find((c) => c.service_id === id);

describe.skipIf(missing !== undefined)(
  `the topology on Google's emulators${missing ? ` (skipped: ${missing})` : ''}`,
  // Five functions, two JVMs and the test share the machine: room for a slow first request.
  { timeout: 60_000 },
  () => {
    let t: Topology;
    let link: Link;
    const repo = () => t.standIns.github.repo(REPO);
    const history = async (linkId: string) =>
      (await api<{ items: Operation[] }>(t, 'GET', `/api/v1/links/${linkId}/operations?pageSize=50`)).body
        .items;

    beforeAll(async () => {
      t = await startTopology({
        repos: [REPO, OUTAGE_REPO],
        designs: [DESIGN, OUTAGE_DESIGN],
        deadLettered: [TOPICS.syncRequests],
      });
    }, 180_000);
    afterAll(async () => {
      await t?.close();
    }, 60_000);
    afterEach(({ task }) => {
      // The functions are other processes: their logs say what happened inside.
      if (task.result?.state === 'fail' && t) console.error(t.logs());
    });

    it('a link created through status-api is connected at each function address and synced by the worker', async () => {
      expect((await fetch(`${t.functions['status-api'].url}/healthz`)).status).toBe(200);
      const health = await api(t, 'GET', '/api/v1/health');
      expect(health.body).toMatchObject({
        status: 'ok',
        backend: 'gcp',
        stateStore: { ok: true },
        bus: { ok: true },
      });
      const openapi = await api<{ servers: Array<{ url: string }> }>(t, 'GET', '/api/v1/openapi.json');
      expect(openapi.body.servers).toEqual([{ url: t.functions['status-api'].url }]);
      const created = await createLink(t, REPO, DESIGN);
      link = created;
      expect(created.webhook).toMatchObject({ state: 'created' });
      // Each address is its own function's (BRIDGE_GITHUB_WEBHOOK_URL, BRIDGE_DRIVE_NOTIFICATIONS_URL).
      expect(repo().hooks.map((h) => h.config.url)).toEqual([
        `${t.functions['github-webhook'].url}/github/webhook`,
      ]);
      expect(t.standIns.drive.channels().map((c) => c.address)).toContain(
        `${t.functions['drive-notifications'].url}/drive/notifications`,
      );
      // The first sync went status-api → sync-requests → push → sync-worker.
      const first = await finished(t, created.initialOperationId, 45_000);
      expect(first).toMatchObject({ status: 'succeeded', trigger: 'link-created' });
      expect(repo().commits('main')).toHaveLength(1);
    });

    it('a sync queued through the API reaches GitHub as one commit', async () => {
      await settled(t, link.id);
      editDesign(t, DESIGN, 'core', { version: '2.3.0' });
      const queued = await api<{ operationId: string }>(t, 'POST', `/api/v1/links/${link.id}/sync`, {});
      expect(queued.status).toBe(202);
      const op = await finished(t, queued.body.operationId);
      expect(op).toMatchObject({ status: 'succeeded', outcome: 'synced' });
      const commits = repo().commits('main');
      expect(commits).toHaveLength(2);
      expect(commits[0]?.message).toContain(`Bridge-Sync: ${op.id}`);
      expect(repo().files('main')[definitionPath('core')]).toMatch(/version: 2\.3\.0/);
    });

    it('a signed push webhook reaches the worker through github-events and updates the design', async () => {
      await settled(t, link.id);
      const path = definitionPath('auth');
      const after = repo().commitFiles('main', {
        [path]: repo()
          .files('main')
          [path]!.replace(/version: .*/, 'version: 1.4.0'),
      });
      const answer = await deliver(t, pushDelivery(REPO, after, t.webhookSecret));
      expect(answer.status).toBe(202);
      await until(t, 'the design to carry the definition edit', () =>
        component(designOfFile(t, DESIGN), 'auth')?.version === '1.4.0' ? true : undefined,
      );
      // Drive is written before the run's record: the run is done once it says so.
      const [run, ...more] = (await history(link.id)).filter((o) => o.trigger === 'github-push');
      expect(more).toEqual([]);
      expect(await finished(t, run?.id ?? '')).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    });

    it('the same delivery twice, and the same event published twice, have one effect', async () => {
      await settled(t, link.id);
      const path = definitionPath('core');
      const after = repo().commitFiles('main', {
        [path]: repo()
          .files('main')
          [path]!.replace(/version: .*/, 'version: 2.4.0'),
      });
      const delivery = pushDelivery(REPO, after, t.webhookSecret);
      expect(await deliver(t, delivery)).toMatchObject({ status: 202 });
      // GitHub redelivers with the same delivery id: github-webhook publishes nothing the second time.
      expect(await deliver(t, delivery)).toMatchObject({ status: 202, body: { status: 'duplicate' } });
      const record = await api<{ timesReceived: number }>(
        t,
        'GET',
        `/api/v1/deliveries/${delivery.deliveryId}`,
      );
      expect(record.body.timesReceived).toBe(2);
      await until(t, 'the design to carry 2.4.0', () =>
        component(designOfFile(t, DESIGN), 'core')?.version === '2.4.0' ? true : undefined,
      );
      const driveVersion = t.standIns.drive.file(DESIGN)?.version;
      const commits = repo().commits('main').length;
      // At-least-once delivery: the same event again on github-events. Then one more edit behind it on
      // the same ordering key (the repository): once that one lands, the duplicate has been handled.
      const event = JSON.parse(delivery.body.toString('utf8'));
      const attributes = { event: 'push', deliveryId: delivery.deliveryId, repository: REPO };
      await t.publish(TOPICS.githubEvents, event, attributes, REPO);
      const next = repo().commitFiles('main', {
        [path]: repo()
          .files('main')
          [path]!.replace(/version: .*/, 'version: 2.5.0'),
      });
      expect((await deliver(t, pushDelivery(REPO, next, t.webhookSecret))).status).toBe(202);
      await until(t, 'the design to carry 2.5.0', () =>
        component(designOfFile(t, DESIGN), 'core')?.version === '2.5.0' ? true : undefined,
      );
      expect(t.standIns.drive.file(DESIGN)?.version).toBe((driveVersion ?? 0) + 1);
      expect(repo().commits('main')).toHaveLength(commits + 1);
    });

    it('a Drive notification reaches the worker through drive-notifications and drive-changes', async () => {
      await settled(t, link.id);
      editDesign(t, DESIGN, 'core', { version: '3.0.0' });
      const channel = t.standIns.drive.channels().find((c) => c.fileId === DESIGN && !c.stopped);
      expect(channel).toBeDefined();
      expect((await t.standIns.drive.notify(channel!.id, 'update')).status).toBeLessThan(300);
      await until(t, 'the commit of the Drive edit', () =>
        /version: 3\.0\.0/.test(repo().files('main')[definitionPath('core')] ?? '') ? true : undefined,
      );
      const run = (await history(link.id)).find((o) => o.trigger === 'drive-change');
      expect(await finished(t, run?.id ?? '')).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    });

    it('a sync that keeps failing is dead-lettered, says it gave up, and a replay from the API finishes it', async () => {
      const outageLink = await createLink(t, OUTAGE_REPO, OUTAGE_DESIGN);
      await finished(t, outageLink.initialOperationId);
      const outageRepo = t.standIns.github.repo(OUTAGE_REPO);
      editDesign(t, OUTAGE_DESIGN, 'core', { version: '7.0.0' });
      // The branch is never where the bridge read it: a retryable conflict on every delivery.
      const outage = t.standIns.github.injectFault({
        method: 'PATCH',
        path: `/repos/${OUTAGE_REPO}/git/refs/`,
        status: 422,
        body: { message: 'Reference cannot be updated' },
        times: Number.POSITIVE_INFINITY,
      });
      const queued = await api<{ operationId: string }>(t, 'POST', `/api/v1/links/${outageLink.id}/sync`, {});
      const op = await finished(t, queued.body.operationId, 60_000);
      expect(op).toMatchObject({ status: 'failed', gaveUp: true, error: { code: 'conflict' } });
      expect(op.attempts).toHaveLength(10);
      const dead = await until(t, 'the dead letter', async () => {
        const items = (await api<{ items: DeadLetter[] }>(t, 'GET', '/api/v1/dead-letters')).body.items;
        return items.find((d) => (d.message.data as { operationId?: string }).operationId === op.id);
      });
      expect(dead).toMatchObject({ topic: TOPICS.syncRequests, attempts: 10 });

      outage.cancel();
      expect((await api(t, 'POST', `/api/v1/dead-letters/${dead.id}/replay`)).status).toBe(202);
      const replay = await until(t, 'the replay to succeed', async () =>
        (await history(outageLink.id)).find((o) => o.replayOf === op.id && o.status === 'succeeded'),
      );
      expect(replay.trigger).toBe(op.trigger);
      expect(outageRepo.commits('main')).toHaveLength(2);
      expect(outageRepo.files('main')[definitionPath('core')]).toMatch(/version: 7\.0\.0/);
    }, 90_000);

    it('a Cloud Scheduler job message makes the scheduler queue a sync of every link', async () => {
      await settled(t, link.id);
      await t.publish(TOPICS.schedulerJobs, { job: 'reconcile' }, { job: 'reconcile' });
      const scheduled = await until(t, 'the scheduled sync to succeed', async () =>
        (await history(link.id)).find((o) => o.trigger === 'schedule' && o.status === 'succeeded'),
      );
      expect(scheduled).toMatchObject({ direction: 'both' });
    });

    it('a secret rotation message takes effect in github-webhook without a restart', async () => {
      const before = t.functions['github-webhook'].process.sid;
      await t.publish(
        TOPICS.secretRotation,
        {},
        {
          eventType: 'SECRET_ROTATE',
          secretId: `projects/${t.project}/secrets/${SECRETS.githubWebhook}`,
        },
      );
      const rotated = await until(t, 'a new webhook secret version', () => {
        const latest = t.standIns.secretManager.latest(SECRETS.githubWebhook);
        return latest !== t.webhookSecret ? latest : undefined;
      });
      const after = repo().head('main') ?? '';
      const answer = await deliver(t, pushDelivery(REPO, after, rotated!, 'delivery-after-rotation'));
      expect(answer).toMatchObject({ status: 202 });
      expect(t.functions['github-webhook'].process.sid).toBe(before);
      // The replaced secret stays accepted for the grace period (GitHub may still sign with it).
      const previous = await deliver(t, pushDelivery(REPO, after, t.webhookSecret, 'delivery-old-secret'));
      expect(previous).toMatchObject({ status: 202 });
      const forged = await deliver(t, pushDelivery(REPO, after, 'not-the-secret', 'delivery-forged'));
      expect(forged.status).toBe(401);
    });
  },
);
