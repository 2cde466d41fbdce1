import { createHmac, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { definitionPath } from '../../shared/domain/index.ts';
import type { Link, Operation } from '../../shared/records/index.ts';
import { connectAccount } from '../oauth/support/connect-flow.ts';
import { type LoopbackOAuth, startLoopbackOAuth } from '../oauth/support/loopback-oauth.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import type { LoopbackDrive } from '../support/loopback-drive/index.ts';
import type { LoopbackGithub } from '../support/loopback-github/index.ts';
import { component, startExampleLoopbacks } from '../sync/support.ts';
import { send, tenantKey } from './support.ts';

const WEBHOOK_SECRET = 'whsec-log-capture-7f3a9c1e5b';
const GITHUB_TOKEN = 'ghp_logcapture0000000000000000000000000';
const GOOGLE_TOKEN = 'ya29.log-capture-google-token-91ab';
const OAUTH_CLIENT_ID = 'Iv1.logcaptureclient';
const OAUTH_CLIENT_SECRET = 'oauth-secret-log-capture-5d2e8b';
const FILE_ID = 'design-log-capture';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** Everything written to the process's stdout/stderr or the console while `run` is in progress. */
function captureProcessOutput() {
  const captured: string[] = [];
  const keep = (chunk: unknown) => {
    captured.push(
      typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk),
    );
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      keep(chunk);
      return true;
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      keep(chunk);
      return true;
    }),
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        keep(
          args
            .map((a) =>
              a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a),
            )
            .join(' '),
        );
      }),
    ),
  ];
  return {
    captured,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

describe('a full run logs no secret, token, signature, private key or OAuth code', () => {
  let github: LoopbackGithub;
  let drive: LoopbackDrive;
  let oauth: LoopbackOAuth;
  let bridge: TestBridge;
  const sensitive = new Map<string, string>();
  let output: ReturnType<typeof captureProcessOutput>;

  beforeAll(async () => {
    output = captureProcessOutput();
    ({ github, drive } = await startExampleLoopbacks({
      githubTokens: [GITHUB_TOKEN],
      googleToken: GOOGLE_TOKEN,
      fileId: FILE_ID,
    }));
    oauth = await startLoopbackOAuth({ clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET });
    bridge = await startTestBridge({
      GITHUB_TOKEN,
      GITHUB_API_URL: github.url,
      GOOGLE_ACCESS_TOKEN: GOOGLE_TOKEN,
      DRIVE_API_ROOT_URL: drive.url,
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      GITHUB_APP_PRIVATE_KEY: PRIVATE_KEY,
      GITHUB_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID,
      GITHUB_OAUTH_CLIENT_SECRET: OAUTH_CLIENT_SECRET,
      GITHUB_OAUTH_BASE: oauth.url,
    });
    for (const [name, value] of Object.entries({
      WEBHOOK_SECRET,
      GITHUB_TOKEN,
      GOOGLE_TOKEN,
      OAUTH_CLIENT_SECRET,
      ADMIN_TOKEN,
    })) {
      sensitive.set(name, value);
    }
    // Any one line of the key's body is enough to count as a leak.
    PRIVATE_KEY.split('\n')
      .filter((l) => l.length > 40 && !l.startsWith('-----'))
      .forEach((line, i) => {
        sensitive.set(`private key line ${i}`, line);
      });
  });
  afterAll(async () => {
    output?.restore();
    await bridge?.close();
    await github?.close();
    await drive?.close();
    await oauth?.close();
  });

  const sign = (body: string, secret = WEBHOOK_SECRET) => {
    const value = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    sensitive.set(`signature ${sensitive.size}`, value.slice('sha256='.length));
    return value;
  };

  it('link, signed webhook, sync both ways, Drive notification, OAuth connect, failed auth', async () => {
    // A tenant key: its secret half is sensitive too.
    const acme = await tenantKey(bridge, 'acme');
    sensitive.set('tenant key', acme.key);
    sensitive.set('tenant key secret', acme.key.slice(`brk_${acme.id}_`.length));

    // Link creation (GitHub + Drive through their real clients).
    const created = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: `https://drive.google.com/file/d/${FILE_ID}/view`,
      policy: { writes: 'direct' },
    });
    expect(created.status).toBe(201);
    await bridge.idle();
    const linkId = created.body.id;

    // Design → GitHub.
    const design = JSON.parse(drive.file(FILE_ID)?.content ?? '{}');
    component(design, 'core').version = '2.3.0';
    drive.setContent(FILE_ID, JSON.stringify(design, null, 2));
    const queued = await bridge.api<{ operationId: string }>('POST', `/api/v1/links/${linkId}/sync`, {});
    await bridge.idle();
    const op = await bridge.api<Operation>('GET', `/api/v1/operations/${queued.body.operationId}`);
    expect(op.body).toMatchObject({ status: 'succeeded', outcome: 'synced' });

    // GitHub → design through a signed push webhook.
    const repo = github.repo('acme/platform');
    const path = definitionPath('auth');
    const after = repo.commitFiles('main', {
      [path]: repo.files('main')[path]!.replace('version: 1.0.0', 'version: 1.4.0'),
    });
    const push = JSON.stringify({
      ref: 'refs/heads/main',
      after,
      repository: { full_name: 'acme/platform', name: 'platform', owner: { login: 'acme' } },
      commits: [{ id: after, message: 'Edit by hand', author: { name: 'dev' } }],
      head_commit: { id: after, message: 'Edit by hand' },
    });
    const hook = await fetch(`${bridge.url}/github/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'log-capture-1',
        'x-hub-signature-256': sign(push),
      },
      body: push,
    });
    expect(hook.status).toBe(202);
    await bridge.idle();
    expect(component(JSON.parse(drive.file(FILE_ID)?.content ?? '{}'), 'auth').version).toBe('1.4.0');

    // Drive notifications on whatever channels the bridge opened (right and wrong token).
    const channels = await bridge.ctx.state.query<{ token: string; resourceId: string }>('channels');
    for (const channel of channels) {
      sensitive.set(`channel token ${channel.id}`, channel.data.token);
      for (const token of [channel.data.token, 'wrong-channel-token-123']) {
        await send(bridge.url, 'POST', '/drive/notifications', {
          token: null,
          headers: {
            'x-goog-channel-id': channel.id,
            'x-goog-channel-token': token,
            'x-goog-resource-state': 'update',
            'x-goog-message-number': String(Date.now()),
            'x-goog-resource-id': channel.data.resourceId || 'r',
          },
        });
      }
    }
    await bridge.idle();

    // OAuth connect + callback; the code and the token it bought are sensitive.
    const { started, approved, done } = await connectAccount(bridge.url, acme.key);
    expect(done.status).toBe(302);
    sensitive.set('oauth code', approved.code);
    sensitive.set('oauth state', started.state);
    sensitive.set('oauth browser cookie', started.cookie.split('=')[1] ?? '');
    for (const grant of oauth.issued) sensitive.set(`oauth token ${grant.code}`, grant.token);

    // Failed authentication of every kind.
    const wrongSig = sign(push, 'not-the-webhook-secret');
    const rejected = await fetch(`${bridge.url}/github/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'log-capture-2',
        'x-hub-signature-256': wrongSig,
      },
      body: push,
    });
    expect(rejected.status).toBe(401);
    expect((await send(bridge.url, 'GET', '/api/v1/links', { token: `${ADMIN_TOKEN}-wrong` })).status).toBe(
      401,
    );
    expect((await send(bridge.url, 'GET', '/api/v1/links', { token: acme.key.slice(0, -3) })).status).toBe(
      401,
    );
    oauth.failNext('bad_verification_code');
    const second = await connectAccount(bridge.url, acme.key);
    expect(second.done.status).toBe(502);
    sensitive.set('failed oauth code', second.approved.code);
    await bridge.idle();
  });

  it('no captured line holds any of them', () => {
    const lines = [...bridge.logs, ...output.captured];
    expect(bridge.logs.length).toBeGreaterThan(20);
    expect(sensitive.size).toBeGreaterThan(12);
    const leaks: string[] = [];
    for (const line of lines) {
      for (const [name, value] of sensitive) {
        if (value && line.includes(value)) leaks.push(`${name} in: ${line.slice(0, 300)}`);
      }
      if (/sha(1|256)=[0-9a-f]{40,64}/.test(line)) leaks.push(`a signature in: ${line.slice(0, 300)}`);
      if (/PRIVATE KEY-----/.test(line)) leaks.push(`a private key in: ${line.slice(0, 300)}`);
      if (/Bearer\s+[A-Za-z0-9._~+/=-]{8,}/.test(line))
        leaks.push(`a bearer token in: ${line.slice(0, 300)}`);
    }
    expect(leaks).toEqual([]);
  });
});
