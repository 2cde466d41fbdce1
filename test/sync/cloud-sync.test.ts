import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DesignExport, definitionPath, parseDefinitionFile } from '../../shared/domain/index.ts';
import type { Link, Operation } from '../../shared/records/index.ts';
import type { TestBridge } from '../support/bridge.ts';
import type { LoopbackDrive } from '../support/loopback-drive/index.ts';
import type { LoopbackGithub } from '../support/loopback-github/index.ts';
import { component, designOf, repoFiles, services, startLoopbackBridge } from './support.ts';

const GITHUB_TOKEN = 'ghp_loopbacktesttoken0000000000000000';
const GOOGLE_TOKEN = 'ya29.loopback-test-token';
const WEBHOOK_SECRET = 'webhook-secret-for-tests';
const FILE_ID = 'design-file-1';

describe('sync against loopback GitHub and Drive servers (real clients, real wire format)', () => {
  let github: LoopbackGithub;
  let drive: LoopbackDrive;
  let bridge: TestBridge;

  let world: Awaited<ReturnType<typeof startLoopbackBridge>>;

  beforeEach(async () => {
    world = await startLoopbackBridge({
      githubToken: GITHUB_TOKEN,
      googleToken: GOOGLE_TOKEN,
      fileId: FILE_ID,
      env: { GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET },
    });
    ({ github, drive, bridge } = world);
  });
  afterEach(async () => {
    await world.close();
  });

  async function createLink(policy: Record<string, unknown> = { writes: 'direct' }): Promise<Link> {
    const created = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: `https://drive.google.com/file/d/${FILE_ID}/view`,
      policy,
    });
    expect(created.status).toBe(201);
    await bridge.idle();
    return created.body;
  }

  async function sync(linkId: string): Promise<Operation> {
    const queued = await bridge.api<{ operationId: string }>('POST', `/api/v1/links/${linkId}/sync`, {});
    await bridge.idle();
    return (await bridge.api<Operation>('GET', `/api/v1/operations/${queued.body.operationId}`)).body;
  }

  const design = (): DesignExport => JSON.parse(drive.file(FILE_ID)?.content ?? '{}') as DesignExport;
  const definitionAt = (ref: string, id: string) => {
    const text = github.repo('acme/platform').files(ref)[definitionPath(id)];
    if (text === undefined) return undefined;
    const parsed = parseDefinitionFile(definitionPath(id), text);
    return parsed.ok ? parsed.service : undefined;
  };

  async function pushWebhook(after: string) {
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      after,
      repository: {
        full_name: 'acme/platform',
        name: 'platform',
        owner: { login: 'acme' },
        html_url: 'https://github.com/acme/platform',
      },
      commits: [{ id: after, message: 'Edit definitions by hand', author: { name: 'dev' } }],
      head_commit: { id: after, message: 'Edit definitions by hand' },
    });
    const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
    const response = await fetch(`${bridge.url}/github/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': `delivery-${after}`,
        'x-hub-signature-256': signature,
      },
      body,
    });
    expect(response.status).toBe(202);
    await bridge.idle();
  }

  it('design edits reach GitHub as one commit; a push webhook brings definition edits to Drive', async () => {
    const link = await createLink();
    expect(link.repo).toBe('https://github.com/acme/platform');
    const edited = design();
    component(edited, 'core').version = '2.3.0';
    drive.setContent(FILE_ID, JSON.stringify(edited, null, 2));
    const op = await sync(link.id);
    expect(op).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    const repo = github.repo('acme/platform');
    expect(repo.commits('main')).toHaveLength(2);
    expect(repo.commits('main')[0]?.message).toMatch(/Bridge-Sync: op_/);
    expect(definitionAt('main', 'core')?.version).toBe('2.3.0');

    const path = definitionPath('auth');
    const after = repo.commitFiles('main', {
      [path]: repo.files('main')[path]!.replace('version: 1.0.0', 'version: 1.4.0'),
    });
    await pushWebhook(after);
    expect(component(design(), 'auth').version).toBe('1.4.0');
    const health = await bridge.api<{
      providers: { rateLimits: Array<{ key: string; limit: number; remaining: number }> };
    }>('GET', '/api/v1/health');
    const core = health.body.providers.rateLimits.find((r) => r.key.startsWith('github:'));
    expect(core).toMatchObject({ limit: 5000 });
    expect(core?.remaining).toBeLessThan(5000);
    github.assertValid();
    expect(drive.schemaErrors).toEqual([]);
  });

  it('a push webhook finds the link whatever casing the link URL was typed in', async () => {
    const created = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/ACME/Platform.git',
      design: `https://drive.google.com/file/d/${FILE_ID}`,
      policy: { writes: 'direct' },
    });
    expect(created.status).toBe(201);
    await bridge.idle();
    const repo = github.repo('acme/platform');
    const path = definitionPath('persistence');
    const after = repo.commitFiles('main', {
      [path]: repo.files('main')[path]!.replace('version: 1.5.0', 'version: 1.9.0'),
    });
    await pushWebhook(after);
    expect(component(design(), 'persistence').version).toBe('1.9.0');
  });

  it('the bridge’s own commit does not trigger a sync back (loop prevention)', async () => {
    const link = await createLink();
    const edited = design();
    component(edited, 'core').version = '2.3.0';
    drive.setContent(FILE_ID, JSON.stringify(edited, null, 2));
    await sync(link.id);
    const ours = github.repo('acme/platform').commits('main')[0]!;
    const before = (await bridge.api<{ items: Operation[] }>('GET', `/api/v1/links/${link.id}/operations`))
      .body.items.length;
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      repository: { full_name: 'acme/platform' },
      commits: [{ id: ours.sha, message: ours.message }],
      head_commit: { id: ours.sha, message: ours.message },
    });
    const response = await fetch(`${bridge.url}/github/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'own-commit-delivery',
        'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    expect(response.status).toBe(202);
    await bridge.idle();
    const afterOps = (await bridge.api<{ items: Operation[] }>('GET', `/api/v1/links/${link.id}/operations`))
      .body.items.length;
    expect(afterOps).toBe(before);
  });

  it('pull-request policy: the change goes to bridge/<link> with one pull request, updated not duplicated', async () => {
    const link = await createLink({ writes: 'pull-request' });
    const edited = design();
    component(edited, 'persistence').version = '1.7.0';
    drive.setContent(FILE_ID, JSON.stringify(edited, null, 2));
    const op = await sync(link.id);
    const repo = github.repo('acme/platform');
    expect(repo.pulls).toHaveLength(1);
    expect(repo.pulls[0]).toMatchObject({ head: `bridge/${link.id}`, base: 'main', state: 'open' });
    expect(op.pullRequest).toContain('/pull/');
    expect(definitionAt(`bridge/${link.id}`, 'persistence')?.version).toBe('1.7.0');
    expect(definitionAt('main', 'persistence')?.version).toBe('1.5.0');

    const edited2 = design();
    component(edited2, 'auth').version = '1.2.0';
    drive.setContent(FILE_ID, JSON.stringify(edited2, null, 2));
    await sync(link.id);
    expect(repo.pulls).toHaveLength(1);
    expect(definitionAt(`bridge/${link.id}`, 'auth')?.version).toBe('1.2.0');
    expect(definitionAt(`bridge/${link.id}`, 'persistence')?.version).toBe('1.7.0');
  });

  it('pull-request policy: a proposal closed without merging is not proposed again until the design changes', async () => {
    const link = await createLink({ writes: 'pull-request' });
    const edited = design();
    component(edited, 'persistence').version = '1.7.0';
    drive.setContent(FILE_ID, JSON.stringify(edited, null, 2));
    await sync(link.id);
    const repo = github.repo('acme/platform');
    const [proposal] = repo.pulls;
    expect(proposal).toMatchObject({ state: 'open' });
    const branchHead = () => repo.head(`bridge/${link.id}`);
    const before = branchHead();

    // A person closes it unmerged; GitHub says so with a pull_request webhook.
    if (proposal) proposal.state = 'closed';
    const pendingUrl = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body.pendingPullRequest
      ?.url;
    expect(pendingUrl).toMatch(new RegExp(`/acme/platform/pull/${proposal?.number}$`));
    const closed = JSON.stringify({
      action: 'closed',
      number: proposal?.number,
      pull_request: {
        number: proposal?.number,
        html_url: pendingUrl,
        state: 'closed',
        merged: false,
        head: { ref: `bridge/${link.id}`, sha: 'f'.repeat(40) },
        base: { ref: 'main', sha: 'e'.repeat(40) },
      },
      repository: { full_name: 'acme/platform', html_url: 'https://github.com/acme/platform' },
    });
    const response = await fetch(`${bridge.url}/github/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'delivery-pr-closed',
        'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(closed).digest('hex')}`,
      },
      body: closed,
    });
    expect(response.status).toBe(202);
    await bridge.idle();
    const declined = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect(declined).toMatchObject({ status: 'out_of_sync', declinedProposal: { number: proposal?.number } });
    expect(declined.pendingPullRequest).toBeUndefined();

    // Later syncs neither commit nor open a pull request for it: one with nothing new, and one
    // bringing an unrelated definitions edit to the design while the declined change stays out.
    expect(await sync(link.id)).toMatchObject({ status: 'succeeded', outcome: 'no-changes' });
    const path = definitionPath('auth');
    const handEdit = repo.commitFiles('main', {
      [path]: repo.files('main')[path]!.replace('version: 1.0.0', 'version: 1.4.0'),
    });
    await pushWebhook(handEdit);
    expect(component(design(), 'auth').version).toBe('1.4.0');
    const ops = await bridge.api<{ items: Operation[] }>('GET', `/api/v1/links/${link.id}/operations`);
    expect(ops.body.items[0]).toMatchObject({ trigger: 'github-push', outcome: 'proposal-declined' });
    expect(repo.pulls).toHaveLength(1);
    expect(branchHead()).toBe(before);
    expect(definitionAt('main', 'persistence')?.version).toBe('1.5.0');
    expect((await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body.status).toBe('out_of_sync');

    // A new design edit is a new proposal, with the declined change in it too.
    const edited2 = design();
    component(edited2, 'auth').version = '1.5.0';
    drive.setContent(FILE_ID, JSON.stringify(edited2, null, 2));
    await sync(link.id);
    expect(repo.pulls).toHaveLength(2);
    expect(repo.pulls[1]).toMatchObject({ state: 'open', head: `bridge/${link.id}` });
    const reproposed = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect(reproposed.declinedProposal).toBeUndefined();
    expect(reproposed.pendingPullRequest?.number).toBe(repo.pulls[1]?.number);
  });

  it('a Drive edit between the read and the write is merged again, not overwritten', async () => {
    const link = await createLink();
    const repo = github.repo('acme/platform');
    const path = definitionPath('core');
    repo.commitFiles('main', {
      [path]: repo.files('main')[path]!.replace('status: active', 'status: deprecated'),
    });
    drive.injectFault({
      method: 'PUT',
      path: /^\/upload\/drive\/v2\/files\//,
      run: () => {
        const concurrent = design();
        component(concurrent, 'auth').name = 'Identity (edited during sync)';
        drive.setContent(FILE_ID, JSON.stringify(concurrent, null, 2));
      },
    });
    const op = await sync(link.id);
    expect(op.status).toBe('succeeded');
    expect(op.progress.map((p) => p.step)).toContain('design changed meanwhile; merging again');
    const after = design();
    expect(component(after, 'core').status).toBe('deprecated');
    expect(component(after, 'auth').name).toBe('Identity (edited during sync)');
    expect(definitionAt('main', 'auth')?.name).toBe('Identity (edited during sync)');
  });

  it.each([1, 10, 100])(
    'a sync changing %i services makes the same number of GitHub calls (at most 5)',
    async (n) => {
      const extra = Array.from({ length: 100 }, (_, i) => ({
        ...services()[0]!,
        id: `svc-${i}`,
        name: `Service ${i}`,
        path: `services/svc-${i}`,
      }));
      const all = [...services(), ...extra];
      github.repo('acme/platform').commitFiles('main', repoFiles(all));
      drive.setContent(FILE_ID, JSON.stringify(designOf(all), null, 2));
      const link = await createLink();
      const edited = design();
      for (let i = 0; i < n; i++) component(edited, `svc-${i}`).version = '9.9.9';
      drive.setContent(FILE_ID, JSON.stringify(edited, null, 2));
      const op = await sync(link.id);
      expect(op.changes?.definitions.updated).toHaveLength(n);
      expect(op.apiCalls.github).toBeLessThanOrEqual(5);
      expect(github.repo('acme/platform').commits('main')[0]?.message).toMatch(/Bridge-Sync/);
    },
  );
});
