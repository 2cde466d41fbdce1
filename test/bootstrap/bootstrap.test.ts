import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionPath, parseDefinitionFile, type ServiceDefinition } from '../../shared/domain/index.ts';
import type { BootstrapJob } from '../../shared/records/index.ts';
import { runCli } from '../cli/support.ts';
import {
  eventually,
  type ResilientBridge,
  startResilientBridge,
} from '../resilience/support/resilient-bridge.ts';
import { ADMIN_TOKEN } from '../support/bridge.ts';
import { type BootstrapWorld, DEFINED, DESIGN_ID, MANY, MONO, startBootstrapWorld } from './support.ts';

/*
 * Bootstrapping a link from a repository, end to end through the real server: the API queues the
 * job, the scheduler runs it on the embedded bus, the loopback GitHub serves the tree, the blobs and
 * the pull request, and a loopback OpenAI server answers through the official client.
 */
const BRANCH = (linkId: string) => `bridge-bootstrap/${linkId}`;

describe('bootstrap', () => {
  let world: BootstrapWorld;
  let bridge: ResilientBridge;
  /** The first test's link and what its pull request proposed (the last test merges it). */
  let proposed: { linkId: string; files: Record<string, string> } | undefined;

  beforeAll(async () => {
    world = await startBootstrapWorld();
    bridge = await startResilientBridge(world);
  });
  afterAll(async () => {
    await bridge?.close();
    await world?.close();
  });

  /** The API as a tenant's key (the admin's by default). */
  const call = async <T>(token: string | undefined, method: string, path: string, body?: unknown) => {
    if (!token) return bridge.api<T>(method, path, body);
    const res = await fetch(`${bridge.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const link = async (repo: string, token?: string) => {
    const created = await call<{ id: string }>(token, 'POST', '/api/v1/links', {
      repo: `https://github.com/${repo}`,
      design: `https://drive.google.com/file/d/${DESIGN_ID}/view`,
      policy: { writes: 'pull-request' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await bridge.idle();
    return created.body.id;
  };
  const start = async (linkId: string, body: Record<string, unknown> = {}, token?: string) => {
    const res = await call<BootstrapJob>(token, 'POST', `/api/v1/links/${linkId}/bootstrap`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body;
  };
  const job = async (linkId: string, token?: string) =>
    (await call<BootstrapJob>(token, 'GET', `/api/v1/links/${linkId}/bootstrap`)).body;
  const branchDefinitions = (repo: string, linkId: string) => {
    const files = world.github.repo(repo).files(BRANCH(linkId));
    const out = new Map<string, ServiceDefinition>();
    for (const [path, content] of Object.entries(files)) {
      if (!path.startsWith('architecture/definitions/')) continue;
      const parsed = parseDefinitionFile(path, content);
      if (parsed.ok) out.set(parsed.service.id, parsed.service);
    }
    return out;
  };

  it('proposes the monorepo’s services through a pull request, enriched by the model, progress in order', async () => {
    const linkId = await link(MONO);
    const before = world.github.repo(MONO).files('main');
    const designBefore = world.drive.file(DESIGN_ID)?.content;
    // The model's answer tries what a hostile README asks for: a new service, a path outside the
    // repository, a dependency on nothing, a script. Only what fits the proposal is taken.
    world.ai.answer('openai', {
      text: JSON.stringify({
        services: [
          {
            id: 'api',
            description: 'Serves the orders API. <script>alert(1)</script>',
            layer: 'Application',
            dependencies: ['auth', '../../etc'],
          },
          {
            id: 'worker',
            description: 'Fulfils orders from the queue.',
            layer: 'Processing',
            dependencies: ['api'],
          },
          { id: 'pwned', description: 'injected', layer: 'Edge' },
        ],
      }),
    });
    const queued = await start(linkId);
    expect(queued).toMatchObject({ status: 'queued', linkId, model: true });
    await bridge.idle();
    const done = await job(linkId);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.events.map((e) => e.step)).toEqual([
      'queued',
      'started',
      'reading the repository',
      'read 9 files',
      'found 4 services',
      'model call 1 of 1',
      'model call 1 of 1 answered (openai)',
      'proposal ready (model)',
      'writing the proposal',
      `pull request #${done.pullRequest?.number} opened`,
    ]);
    expect(done.progress).toMatchObject({ filesRead: 9, servicesFound: 4, modelCalls: 1 });
    expect(done.progress.costPicoUsd).toBeGreaterThan(0);
    expect(done.source).toBe('model');

    // A pull request, never a direct write: main and the design are as they were.
    expect(world.github.repo(MONO).files('main')).toEqual(before);
    expect(world.drive.file(DESIGN_ID)?.content).toBe(designBefore);
    const pr = world.github.repo(MONO).pulls.find((p) => p.number === done.pullRequest?.number);
    expect(pr).toMatchObject({ head: BRANCH(linkId), base: 'main', state: 'open' });
    expect(pr?.title).toBe('Bootstrap architecture definitions (4 services)');

    const defs = branchDefinitions(MONO, linkId);
    expect([...defs.keys()].sort()).toEqual(['api', 'auth', 'web', 'worker']);
    expect(defs.get('api')).toMatchObject({
      name: 'Api',
      version: '1.4.0',
      path: 'services/api',
      layer: 'Application',
      technologies: ['Python', 'FastAPI', 'PostgreSQL'],
      dependencies: ['auth'],
      description: 'Serves the orders API. alert(1)',
    });
    expect(defs.get('web')).toMatchObject({
      version: '2.1.0',
      layer: 'Frontend',
      technologies: ['Node.js', 'React', 'Next.js'],
      dependencies: ['api'],
    });
    expect(defs.get('worker')).toMatchObject({
      technologies: ['Go', 'Redis'],
      dependencies: ['api'],
      layer: 'Processing',
    });
    expect(defs.get('auth')).toMatchObject({
      technologies: ['Docker', 'Java', 'Spring Boot'],
      path: 'services/auth',
    });
    // What the branch holds beyond main: exactly the four definitions, nothing injected anywhere.
    const changed = Object.entries(world.github.repo(MONO).files(BRANCH(linkId))).filter(
      ([path, content]) => before[path] !== content,
    );
    expect(changed.map(([p]) => p).sort()).toEqual(
      ['api', 'auth', 'web', 'worker'].map(definitionPath).sort(),
    );
    for (const [, content] of changed) {
      expect(content).not.toMatch(/<script|\.\.\/|pwned/i);
    }
    expect(pr?.body ?? '').not.toMatch(/<script|pwned/i);
    proposed = { linkId, files: Object.fromEntries(changed) };
  });

  it('with the provider down, the deterministic proposal goes out and says so', async () => {
    const linkId = await link(MONO);
    world.ai.fault('openai', { status: 500, times: Number.POSITIVE_INFINITY });
    try {
      await start(linkId);
      await bridge.idle();
    } finally {
      world.ai.clearFaults('openai');
    }
    const done = await job(linkId);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.source).toBe('deterministic');
    expect(done.notes.join('\n')).toMatch(/Model call 1 of 1 failed/);
    expect(done.events.map((e) => e.step)).toContain(
      'model call 1 of 1 failed: deterministic for those services',
    );
    const defs = branchDefinitions(MONO, linkId);
    expect(defs.get('api')).toMatchObject({
      description: 'Serves the public REST API for orders.',
      dependencies: ['auth'],
    });
    expect(defs.get('api')?.layer).toBeUndefined();
    const pr = world.github.repo(MONO).pulls.find((p) => p.number === done.pullRequest?.number);
    expect(pr?.body).toMatch(/Built from the manifests alone/);
  });

  it('a cancel while the model answers leaves nothing written', async () => {
    const linkId = await link(MONO);
    world.ai.fault('openai', { delayMs: 400 });
    await start(linkId);
    await eventually('the model call to start', async () =>
      (await job(linkId)).events.some((e) => e.step === 'model call 1 of 1') ? true : undefined,
    );
    const cancel = await bridge.api<BootstrapJob>('POST', `/api/v1/links/${linkId}/bootstrap/cancel`);
    expect(cancel.status).toBe(202);
    expect(cancel.body.cancelRequested).toBe(true);
    await bridge.idle();
    const done = await job(linkId);
    expect(done.status).toBe('cancelled');
    expect(done.events.at(-1)?.step).toBe('cancelled: nothing was written');
    expect(world.github.repo(MONO).head(BRANCH(linkId))).toBeUndefined();
    expect((await bridge.api('POST', `/api/v1/links/${linkId}/bootstrap/cancel`)).status).toBe(409);
  });

  it('a redelivery while the job runs leaves it to the first delivery; a job whose runner died starts over', async () => {
    const linkId = await link(MONO);
    world.ai.fault('openai', { delayMs: 300 });
    const queued = await start(linkId);
    await eventually('the model call to start', async () =>
      (await job(linkId)).events.some((e) => e.step === 'model call 1 of 1') ? true : undefined,
    );
    // Pub/Sub delivering the job's message again while the first delivery is in its model call.
    const { runBootstrap } = await import('../../shared/bootstrap/index.ts');
    await runBootstrap(bridge.ctx, linkId, queued.id);
    await bridge.idle();
    const done = await job(linkId);
    expect(done.status).toBe('succeeded');
    expect(done.events.filter((e) => e.step === 'started')).toHaveLength(1);
    expect(
      world.github
        .repo(MONO)
        .commits(BRANCH(linkId))
        .filter((c) => /Bootstrap/.test(c.message)),
    ).toHaveLength(1);
    // A job still marked running long after it started lost its runner: a new request replaces it.
    const stale = { ...done, status: 'running', startedAt: new Date(Date.now() - 3_600_000).toISOString() };
    await bridge.ctx.state.set('bootstrap-jobs', linkId, stale);
    const restarted = await bridge.api<BootstrapJob>('POST', `/api/v1/links/${linkId}/bootstrap`, {});
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(202);
    expect(restarted.body.id).not.toBe(queued.id);
    await bridge.idle();
    expect((await job(linkId)).status).toBe('succeeded');
    // A cancel of a job whose runner died ends it at once (no runner would reach the next step).
    const finished = await job(linkId);
    await bridge.ctx.state.set('bootstrap-jobs', linkId, { ...stale, id: finished.id, events: [] });
    const cancelled = await bridge.api<BootstrapJob>('POST', `/api/v1/links/${linkId}/bootstrap/cancel`);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.events.at(-1)?.step).toBe('cancelled (its runner had stopped)');
  });

  it('the AI quota running out mid-bootstrap ends it with what was done, and writes nothing', async () => {
    // A tenant of its own (the admin is not held to quotas), granted the repository's owner and the design.
    const key = await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant: 'acme' });
    expect(key.status).toBe(201);
    const token = key.body.key;
    expect((await bridge.api('PUT', '/api/v1/tenants/acme/grants/owners/acme')).status).toBe(201);
    expect((await bridge.api('PUT', `/api/v1/tenants/acme/grants/drive-files/${DESIGN_ID}`)).status).toBe(
      201,
    );
    const linkId = await link(MANY, token);
    const override = await bridge.api('PUT', '/api/v1/ai/quota-overrides/acme', {
      dailyRequests: 1,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'bootstrap test: one call today',
    });
    expect(override.status, JSON.stringify(override.body)).toBe(200);
    world.ai.answer('openai', { text: JSON.stringify({ services: [] }) });
    await start(linkId, {}, token);
    await bridge.idle();
    const done = await job(linkId, token);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('rate_limited');
    expect(done.error?.message).toMatch(/after 1 of 3 model calls.*nothing was written/);
    expect(done.progress).toMatchObject({ servicesFound: 12, modelCalls: 1 });
    expect(world.github.repo(MANY).head(BRANCH(linkId))).toBeUndefined();
    // Without the model it goes through.
    await start(linkId, { model: false }, token);
    await bridge.idle();
    const again = await job(linkId, token);
    expect(again.status).toBe('succeeded');
    expect(again.progress.modelCalls).toBe(0);
    expect(again.notes).toContain('Deterministic proposal: the job was started without a model');
    expect(branchDefinitions(MANY, linkId).size).toBe(12);
  });

  it('bridge bootstrap follows the job on one progress line and prints the pull request', async () => {
    const linkId = await link(MONO);
    const env = { BRIDGE_URL: bridge.url, BRIDGE_TOKEN: ADMIN_TOKEN };
    // The CLI's clock and sleep are the test's: each poll lets the bus run the job a little further.
    const run = await runCli(['bootstrap', linkId, '--no-model'], env, {
      sleep: () => bridge.idle(),
      now: () => 0,
    });
    expect(run.code, run.err).toBe(0);
    const lines = run.err.trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /^ {2}… 9 files read · 4 services · 0 model calls · pull request #\d+ opened$/,
    );
    expect(run.out).toMatch(/^Proposed 4 services \(deterministic\) in pull request #\d+: http/);
    expect(run.out).toContain('  api  services/api');
    const status = await runCli(['bootstrap', 'status', linkId, '--json'], env);
    expect(status.code).toBe(0);
    expect(status.json<BootstrapJob>().status).toBe('succeeded');
    const cancel = await runCli(['bootstrap', 'cancel', linkId], env);
    expect(cancel.code).toBe(5);
    expect(cancel.err).toMatch(/already succeeded/);
  });

  it('refuses a repository that has definitions, a second job while one runs, bad bodies and other tenants', async () => {
    const defined = await link(DEFINED);
    const refused = await bridge.api<{ error: { code: string; message: string } }>(
      'POST',
      `/api/v1/links/${defined}/bootstrap`,
      {},
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/already has definitions/);
    const linkId = await link(MONO);
    expect((await bridge.api('POST', `/api/v1/links/${linkId}/bootstrap`, { model: 'yes' })).status).toBe(
      400,
    );
    expect((await bridge.api('POST', `/api/v1/links/${linkId}/bootstrap`, { extra: 1 })).status).toBe(400);
    expect((await bridge.api('GET', `/api/v1/links/${linkId}/bootstrap`)).status).toBe(204);
    const none = await runCli(['bootstrap', 'status', linkId], {
      BRIDGE_URL: bridge.url,
      BRIDGE_TOKEN: ADMIN_TOKEN,
    });
    expect(none.out).toMatch(/has no bootstrap job/);
    world.ai.fault('openai', { delayMs: 300 });
    await start(linkId);
    expect((await bridge.api('POST', `/api/v1/links/${linkId}/bootstrap`, {})).status).toBe(409);
    await bridge.idle();
    const other = await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant: 'globex' });
    expect(other.status).toBe(201);
    for (const [method, path] of [
      ['POST', `/api/v1/links/${linkId}/bootstrap`],
      ['GET', `/api/v1/links/${linkId}/bootstrap`],
      ['POST', `/api/v1/links/${linkId}/bootstrap/cancel`],
    ] as const) {
      const res = await fetch(`${bridge.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${other.body.key}`, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });
  it('once the pull request is merged, the next sync brings the services into the design', async () => {
    if (!proposed) throw new Error('the first test did not leave a proposal');
    // A person merges it (here: the branch's definitions committed on main, as a merge would).
    world.github.repo(MONO).commitFiles('main', proposed.files);
    const op = await bridge.queueSync(proposed.linkId);
    await bridge.idle();
    expect((await bridge.operation(op)).status).toBe('succeeded');
    const design = JSON.parse(world.drive.file(DESIGN_ID)?.content ?? '{}') as {
      components: Array<{ service_id: string }>;
    };
    expect(design.components.map((c) => c.service_id).sort()).toEqual(['api', 'auth', 'web', 'worker']);
    // And now the repository has definitions: a bootstrap is refused.
    const again = await bridge.api('POST', `/api/v1/links/${proposed.linkId}/bootstrap`, {});
    expect(again.status).toBe(409);
  });
});
