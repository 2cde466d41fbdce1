import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/index.ts';
import { listChannels } from '../../shared/ingress/index.ts';
import { type SecretStore, TOPICS } from '../../shared/ports/index.ts';
import type { Link } from '../../shared/records/index.ts';
import { FUNCTION_SPECS } from '../../shared/topology/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import type { LoopbackDrive } from '../support/loopback-drive/index.ts';
import {
  type NotificationReceiver,
  startNotificationReceiver,
} from '../support/loopback-drive/notification-receiver.ts';
import type { LoopbackGithub } from '../support/loopback-github/index.ts';
import { createLocalLink, startExampleLoopbacks } from './support.ts';

const GITHUB_TOKEN = 'ghp_hookstesttoken00000000000000000000';
const GOOGLE_TOKEN = 'ya29.hooks-test-token';
const WEBHOOK_SECRET = 'whsec-link-hooks-current';
const FILE_ID = 'design-hooks-1';
const REPO = 'acme/platform';

describe('a new link is live at once: repository webhook and Drive channel', () => {
  let github: LoopbackGithub;
  let drive: LoopbackDrive;
  let receiver: NotificationReceiver;
  let bridge: TestBridge;
  let publicUrl: string;

  beforeEach(async () => {
    ({ github, drive } = await startExampleLoopbacks({
      githubTokens: [GITHUB_TOKEN],
      googleToken: GOOGLE_TOKEN,
      fileId: FILE_ID,
    }));
    // Stands in for the bridge's public address: Drive's first message (`sync`) must reach it.
    receiver = await startNotificationReceiver();
    publicUrl = new URL(receiver.url).origin;
    bridge = await startTestBridge({
      GITHUB_TOKEN,
      GITHUB_API_URL: github.url,
      GOOGLE_ACCESS_TOKEN: GOOGLE_TOKEN,
      DRIVE_API_ROOT_URL: drive.url,
      GITHUB_WEBHOOK_SECRET: `${WEBHOOK_SECRET},whsec-previous`,
      BRIDGE_PUBLIC_URL: publicUrl,
    });
  });
  afterEach(async () => {
    await bridge.close();
    await receiver.close();
    await github.close();
    await drive.close();
  });

  const createLink = async () => {
    const res = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: `https://github.com/${REPO}`,
      design: `https://drive.google.com/file/d/${FILE_ID}`,
      branch: 'main',
      policy: { writes: 'direct' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await bridge.idle();
    return res.body;
  };
  const getLink = async (id: string) => (await bridge.api<Link>('GET', `/api/v1/links/${id}`)).body;
  const liveChannels = () => drive.channels().filter((c) => !c.stopped && c.kind === 'file');
  const renew = async () => {
    await bridge.ctx.publisher.publish(TOPICS.schedulerJobs, { job: 'renew-channels' });
    await bridge.idle();
  };

  it('creates the webhook and the files.watch channel with the link; a second link reuses the hook; the last deletion removes it', async () => {
    const first = await createLink();
    expect(first.webhook).toMatchObject({ state: 'created', hookId: expect.any(Number) });
    expect(first.driveChannel).toMatchObject({ state: 'live' });
    const hooks = github.repo(REPO).hooks;
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      active: true,
      events: ['push', 'pull_request'],
      config: { url: `${publicUrl}/github/webhook`, content_type: 'json', secret: WEBHOOK_SECRET },
    });
    expect(liveChannels()).toEqual([
      expect.objectContaining({ fileId: FILE_ID, address: `${publicUrl}/drive/notifications` }),
    ]);
    expect((await listChannels(bridge.ctx.state, { linkId: first.id })).map((c) => c.id)).toEqual([
      liveChannels()[0]?.id,
    ]);
    const [syncMessage] = await receiver.waitFor(1);
    expect(syncMessage?.headers['x-goog-resource-state']).toBe('sync');

    const second = await createLink();
    expect(second.webhook).toMatchObject({ state: 'exists', hookId: first.webhook?.hookId });
    expect(github.repo(REPO).hooks).toHaveLength(1);
    expect(liveChannels()).toHaveLength(2);

    expect((await bridge.api('DELETE', `/api/v1/links/${first.id}`)).status).toBe(204);
    expect(github.repo(REPO).hooks).toHaveLength(1);
    expect(liveChannels()).toHaveLength(1);
    expect((await bridge.api('DELETE', `/api/v1/links/${second.id}`)).status).toBe(204);
    expect(github.repo(REPO).hooks).toEqual([]);
    expect(liveChannels()).toEqual([]);
    github.assertValid();
  });

  it('with only the secrets status-api may read on GCP (shared/topology), a new link still gets its webhook', async () => {
    // As Secret Manager answers a secret outside the function's grants (see SecretManagerStore).
    const store = bridge.ctx.secrets;
    const granted = new Set<string>(FUNCTION_SPECS['status-api'].secrets);
    const only =
      <A extends unknown[], R>(read: (name: string, ...rest: A) => Promise<R>) =>
      async (name: string, ...rest: A): Promise<R> => {
        if (!granted.has(name)) throw new AppError('config_invalid', `may not read secret ${name}`);
        return read.call(store, name, ...rest);
      };
    const limited: SecretStore = {
      accessLatest: only(store.accessLatest),
      access: only(store.access),
      addVersion: only(store.addVersion),
      listVersions: only(store.listVersions),
      disableVersion: only(store.disableVersion),
      accessEnabled: only(store.accessEnabled),
    };
    Object.assign(bridge.ctx, { secrets: limited });
    const link = await createLink();
    expect(link.webhook).toMatchObject({ state: 'created' });
    expect(github.repo(REPO).hooks).toHaveLength(1);
  });

  it('a token that may not manage hooks: the link is created and says how to add the hook by hand; the renewal creates it once allowed', async () => {
    const refused = github.injectFault({
      method: 'POST',
      path: '/hooks',
      status: 403,
      body: { message: 'Resource not accessible by personal access token' },
      times: Number.POSITIVE_INFINITY,
    });
    const link = await createLink();
    expect(link.webhook?.state).toBe('manual');
    for (const part of [
      'Add it by hand',
      `Payload URL ${publicUrl}/github/webhook`,
      'application/json',
      'GITHUB_WEBHOOK_SECRET',
      '"Pushes" and "Pull requests"',
      'Resource not accessible by personal access token',
    ]) {
      expect(link.webhook?.message).toContain(part);
    }
    expect(link.webhook?.message).not.toContain(WEBHOOK_SECRET);
    expect(link.driveChannel?.state).toBe('live');
    expect(
      (
        await bridge.api<{ status: string }>(
          'GET',
          `/api/v1/operations/${(link as Link & { initialOperationId: string }).initialOperationId}`,
        )
      ).body.status,
    ).toBe('succeeded');

    await renew();
    expect((await getLink(link.id)).webhook?.state).toBe('manual');
    refused.cancel();
    await renew();
    expect((await getLink(link.id)).webhook).toMatchObject({
      state: 'created',
      hookId: github.repo(REPO).hooks[0]?.id,
    });
    expect(bridge.logs.join('\n')).not.toContain(WEBHOOK_SECRET);
  });

  it('a Drive watch that fails leaves the link created with the reason; the hourly renewal opens the channel', async () => {
    drive.injectFault({ method: 'POST', path: /\/files\/[^/]+\/watch$/, status: 503 });
    const link = await createLink();
    expect(link.driveChannel).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('hourly renewal'),
    });
    expect(liveChannels()).toEqual([]);
    expect(link.webhook?.state).toBe('created');
    await renew();
    expect((await getLink(link.id)).driveChannel?.state).toBe('live');
    expect(liveChannels()).toHaveLength(1);
  });

  it('a local repository and design need neither, and the link says why', async () => {
    const local = await createLocalLink(bridge);
    const link = await getLink(local.id);
    expect(link.webhook).toMatchObject({
      state: 'not-needed',
      message: expect.stringContaining('reconcile'),
    });
    expect(link.driveChannel).toMatchObject({
      state: 'not-needed',
      message: expect.stringContaining('local file'),
    });
  });
});
