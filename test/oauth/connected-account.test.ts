import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { definitionPath, parseDefinitionFile } from '../../shared/domain/index.ts';
import { storeGithubUserToken } from '../../shared/oauth/index.ts';
import type { Link, Operation } from '../../shared/records/index.ts';
import { grantLocalFolder, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../support/loopback-github/index.ts';
import { designOf, repoFiles, services } from '../sync/support.ts';

const USER_TOKEN = 'gho_connecteduseraccounttoken000000000';
const BRIDGE_TOKEN = 'ghp_bridgeowntokenthatgithubrefuses0000';

describe('a tenant’s connected GitHub account is what its links act with', () => {
  let github: LoopbackGithub;
  let bridge: TestBridge;
  let dir: string;

  afterEach(async () => {
    await bridge?.close();
    await github?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** GitHub accepts only the user's token; the bridge has `bridgeEnv` credentials of its own. */
  async function start(bridgeEnv: Record<string, string>) {
    dir = await mkdtemp(join(tmpdir(), 'bridge-connected-'));
    github = await startLoopbackGithub({
      repos: { 'acme/platform': { files: repoFiles(services()) } },
      auth: { tokens: [USER_TOKEN] },
    });
    bridge = await startTestBridge({
      GITHUB_API_URL: github.url,
      GITHUB_OAUTH_CLIENT_ID: 'Iv1.loopbackclient01',
      GITHUB_OAUTH_CLIENT_SECRET: 'oauth-client-secret-0123456789abcdef',
      ...bridgeEnv,
    });
  }
  async function tenantKey(tenant: string) {
    const key = (await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant })).body.key;
    await grantLocalFolder(bridge, tenant, dir);
    return key;
  }
  async function connect(tenant: string) {
    await storeGithubUserToken(bridge.ctx, {
      tenant,
      connectedBy: 'key-test',
      token: { token: USER_TOKEN, tokenType: 'bearer', scopes: ['repo'] },
    });
  }
  async function createLink(key: string) {
    const design = join(dir, `design-${Math.random().toString(36).slice(2)}.json`);
    const edited = designOf(services());
    const persistence = edited.components.find((c) => c.service_id === 'persistence');
    if (persistence) persistence.version = '1.9.0';
    await writeFile(design, JSON.stringify(edited, null, 2));
    const body = {
      repo: 'https://github.com/acme/platform',
      design: pathToFileURL(design).href,
      policy: { writes: 'direct' },
    };
    return bridge.api<Link & { initialOperationId: string }>('POST', '/api/v1/links', body, key);
  }
  const persistenceOnMain = () => {
    const text = github.repo('acme/platform').files('main')[definitionPath('persistence')] ?? '';
    const parsed = parseDefinitionFile(definitionPath('persistence'), text);
    return parsed.ok ? parsed.service.version : undefined;
  };

  it('without credentials of its own, the bridge syncs a tenant’s links with the account it connected', async () => {
    await start({});
    const acme = await tenantKey('acme');
    const globex = await tenantKey('globex');
    await connect('acme');

    const created = await createLink(acme);
    expect(created.status).toBe(201);
    await bridge.idle();
    const op = await bridge.api<Operation>(
      'GET',
      `/api/v1/operations/${created.body.initialOperationId}`,
      undefined,
      acme,
    );
    expect(op.body).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    expect(persistenceOnMain()).toBe('1.9.0');

    // A tenant that connected nothing cannot link a GitHub repository, and is told how to.
    const refused = await createLink(globex);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('connect a GitHub account');

    // Disconnecting forgets the token: the next sync of acme's link is refused, saying how to reconnect.
    const gone = await bridge.api('DELETE', '/api/integrations/github', undefined, acme);
    expect(gone).toMatchObject({ status: 200, body: { connected: false, disconnected: true } });
    expect((await bridge.api('GET', '/api/integrations/github', undefined, acme)).body).toEqual({
      connected: false,
    });
    const queued = await bridge.api<{ operationId: string }>(
      'POST',
      `/api/v1/links/${created.body.id}/sync`,
      {},
      acme,
    );
    await bridge.idle();
    const after = await bridge.api<Operation>(
      'GET',
      `/api/v1/operations/${queued.body.operationId}`,
      undefined,
      acme,
    );
    expect(after.body).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(bridge.logs.join('\n')).not.toContain(USER_TOKEN);
  });

  it('the connected account comes before the bridge’s own token', async () => {
    await start({ GITHUB_TOKEN: BRIDGE_TOKEN });
    const acme = await tenantKey('acme');
    // With only the bridge's token (which this GitHub refuses) the link cannot even be created...
    const refused = await createLink(acme);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    // ...with the tenant's account connected it syncs.
    await connect('acme');
    const created = await createLink(acme);
    expect(created.status).toBe(201);
    await bridge.idle();
    expect(persistenceOnMain()).toBe('1.9.0');
    const logs = bridge.logs.join('\n');
    expect(logs).not.toContain(USER_TOKEN);
    expect(logs).not.toContain(BRIDGE_TOKEN);
  });
});
