import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { storeGithubUserToken } from '../../shared/oauth/index.ts';
import { grantLocalFolder, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { designOf, services } from '../sync/support.ts';

/**
 * Octokit has no timeout of its own. The repository providers get one from their fetch; the calls
 * made outside them (the access check of a connected account's token) must be bounded too.
 */
describe('a GitHub that accepts connections and never answers', () => {
  let silent: Server;
  let bridge: TestBridge | undefined;
  let dir: string;
  afterEach(async () => {
    await bridge?.close();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('fails a link’s access check within the request timeout instead of holding the request', async () => {
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    dir = await mkdtemp(join(tmpdir(), 'bridge-unanswered-'));
    bridge = await startTestBridge(
      {
        GITHUB_API_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        GITHUB_OAUTH_CLIENT_ID: 'Iv1.loopbackclient01',
        GITHUB_OAUTH_CLIENT_SECRET: 'oauth-client-secret-0123456789abcdef',
      },
      { resilience: { requestTimeoutMs: 200 } },
    );
    const key = (await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant: 'acme' })).body.key;
    await grantLocalFolder(bridge, 'acme', dir);
    await storeGithubUserToken(bridge.ctx, {
      tenant: 'acme',
      connectedBy: 'key-test',
      token: { token: 'gho_connecteduseraccounttoken000000000', tokenType: 'bearer', scopes: ['repo'] },
    });
    const design = join(dir, 'design.json');
    await writeFile(design, JSON.stringify(designOf(services()), null, 2));
    const res = await bridge.api(
      'POST',
      '/api/v1/links',
      {
        repo: 'https://github.com/acme/platform',
        design: pathToFileURL(design).href,
      },
      key,
    );
    expect(res).toMatchObject({
      status: 502,
      body: { error: { code: 'upstream_failed', message: expect.stringContaining('did not answer') } },
    });
  }, 20_000);
});
