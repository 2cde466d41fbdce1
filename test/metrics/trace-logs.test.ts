import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalBackends } from '../../shared/adapters/local/index.ts';
import { definitionPath } from '../../shared/domain/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { TOPICS } from '../../shared/ports/index.ts';
import type { Link, Operation } from '../../shared/records/index.ts';
import { component, startLoopbackBridge } from '../sync/support.ts';

const GITHUB_TOKEN = 'ghp_tracelogsloopbacktoken0000000000000';
const GOOGLE_TOKEN = 'ya29.trace-logs-token';
const SECRET = 'trace-logs-webhook-secret';
const FILE_ID = 'trace-design-1';
const TRACE_KEY = 'logging.googleapis.com/trace';

type Line = Record<string, unknown>;

/**
 * One webhook can be followed to its commit in Cloud Logging: the intake takes the request's trace
 * (Cloud Run's `traceparent`), carries it to the worker in the message's `traceId` attribute, and
 * every line the run logs carries it with the operation id.
 */
describe('trace and operation ids in the log lines of one sync', () => {
  let world: Awaited<ReturnType<typeof startLoopbackBridge>> | undefined;

  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const lines = () => (world?.bridge.logs ?? []).map((l) => JSON.parse(l) as Line);

  it('a push webhook with a traceparent: the sync it causes logs under that trace and its operation id', async () => {
    world = await startLoopbackBridge({
      githubToken: GITHUB_TOKEN,
      googleToken: GOOGLE_TOKEN,
      fileId: FILE_ID,
      env: { GITHUB_WEBHOOK_SECRET: SECRET },
    });
    const { bridge, github, drive } = world;
    const created = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: `https://drive.google.com/file/d/${FILE_ID}/view`,
      policy: { writes: 'direct' },
    });
    expect(created.status).toBe(201);
    await bridge.idle();
    const repo = github.repo('acme/platform');
    const path = definitionPath('auth');
    const after = repo.commitFiles('main', {
      [path]: (repo.files('main')[path] as string).replace('version: 1.0.0', 'version: 1.5.0'),
    });
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      after,
      repository: { full_name: 'acme/platform', html_url: 'https://github.com/acme/platform' },
      head_commit: { id: after, message: 'Edit definitions by hand' },
    });
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const logged = bridge.logs.length;
    const res = await fetch(`${bridge.url}/github/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'trace-delivery-1',
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        traceparent: `00-${trace}-00f067aa0ba902b7-01`,
      },
      body,
    });
    expect(res.status).toBe(202);
    await bridge.idle();
    expect(component(JSON.parse(drive.file(FILE_ID)?.content ?? '{}'), 'auth').version).toBe('1.5.0');

    const ops = await bridge.api<{ items: Operation[] }>(
      'GET',
      `/api/v1/links/${created.body.id}/operations`,
    );
    const op = ops.body.items.find((o) => o.trigger === 'github-push');
    expect(op?.status).toBe('succeeded');
    const ofRun = lines()
      .slice(logged)
      .filter((l) => l.operationId === op?.id);
    expect(ofRun.length).toBeGreaterThan(0);
    expect(ofRun.filter((l) => l[TRACE_KEY] !== trace)).toEqual([]);
  });

  it('an API sync request carries its caller’s trace to the worker', async () => {
    world = await startLoopbackBridge({
      githubToken: GITHUB_TOKEN,
      googleToken: GOOGLE_TOKEN,
      fileId: FILE_ID,
    });
    const { bridge, drive } = world;
    const created = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: `https://drive.google.com/file/d/${FILE_ID}/view`,
      policy: { writes: 'direct' },
    });
    await bridge.idle();
    const edited = JSON.parse(drive.file(FILE_ID)?.content ?? '{}');
    component(edited, 'core').version = '2.9.0';
    drive.setContent(FILE_ID, JSON.stringify(edited, null, 2));
    const trace = '0af7651916cd43dd8448eb211c80319c';
    const logged = bridge.logs.length;
    const res = await fetch(`${bridge.url}/api/v1/links/${created.body.id}/sync`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer test-admin-token-0123456789',
        'content-type': 'application/json',
        'x-cloud-trace-context': `${trace}/1;o=1`,
      },
      body: '{}',
    });
    expect(res.status).toBe(202);
    const { operationId } = (await res.json()) as { operationId: string };
    await bridge.idle();
    const since = lines().slice(logged);
    const ofRun = since.filter((l) => l.operationId === operationId);
    expect(ofRun.filter((l) => l[TRACE_KEY] !== trace)).toEqual([]);
    // The GitHub client's own lines (logged by the provider's logger) belong to the run too.
    const octokit = since.filter((l) => String(l.message).startsWith('octokit:'));
    expect(octokit.length).toBeGreaterThan(0);
    expect(octokit.filter((l) => l.operationId !== operationId)).toEqual([]);
    // And the run ends with one line that names its commit.
    const finished = ofRun.filter((l) => l.message === 'sync finished');
    expect(finished).toEqual([
      expect.objectContaining({ outcome: 'synced', commitSha: expect.stringMatching(/^[0-9a-f]{40}$/) }),
    ]);
  });

  it('the next message does not inherit the ids of the one before (deliveries start with no scope)', async () => {
    world = await startLoopbackBridge({
      githubToken: GITHUB_TOKEN,
      googleToken: GOOGLE_TOKEN,
      fileId: FILE_ID,
    });
    const { bridge } = world;
    const created = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: `https://drive.google.com/file/d/${FILE_ID}/view`,
      policy: { writes: 'direct' },
    });
    await bridge.idle();
    const trace = '11111111111111111111111111111111';
    const first = await fetch(`${bridge.url}/api/v1/links/${created.body.id}/sync`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer test-admin-token-0123456789',
        traceparent: `00-${trace}-00f067aa0ba902b7-01`,
      },
    });
    expect(first.status).toBe(202);
    const firstId = ((await first.json()) as { operationId: string }).operationId;
    // Queued behind the first on the same ordering key: delivered by the pass that the first's
    // acknowledgement starts, from inside the first run's scope.
    const second = await bridge.api<{ operationId: string }>(
      'POST',
      `/api/v1/links/${created.body.id}/sync`,
      {},
    );
    await bridge.idle();
    const ofSecond = lines().filter((l) => l.operationId === second.body.operationId);
    expect(ofSecond.length).toBeGreaterThan(0);
    expect(ofSecond.filter((l) => l[TRACE_KEY] !== undefined)).toEqual([]);
    expect(lines().filter((l) => l.operationId === firstId && l[TRACE_KEY] !== trace)).toEqual([]);
  });

  it('the embedded bus delivers a message published inside a log scope without that scope', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bridge-scope-'));
    const logs: Line[] = [];
    const logger = createLogger({ level: 'info', write: (line) => logs.push(JSON.parse(line) as Line) });
    const backends = await createLocalBackends({
      file: join(dir, 'bridge.sqlite'),
      dataDir: dir,
      env: {},
      logger,
      now: () => new Date(),
    });
    const { bus } = backends;
    try {
      bus.subscribe(TOPICS.schedulerJobs, async () => {
        await logger.scope({ operationId: 'op_first', traceId: 'a'.repeat(32) }, () =>
          bus.publish(TOPICS.syncRequests, { linkId: 'lnk_x' }),
        );
      });
      bus.subscribe(TOPICS.syncRequests, async () => logger.info('second message handled'));
      bus.start();
      await bus.publish(TOPICS.schedulerJobs, { job: 'reconcile' });
      await bus.idle();
      const second = logs.find((l) => l.message === 'second message handled');
      expect(second).toBeDefined();
      expect(second?.operationId).toBeUndefined();
      expect(second?.[TRACE_KEY]).toBeUndefined();
    } finally {
      await backends.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
