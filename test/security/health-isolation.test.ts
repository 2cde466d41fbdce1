import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeGithubUserToken } from '../../shared/oauth/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../support/loopback-github/index.ts';
import { designOf, repoFiles, services } from '../sync/support.ts';
import { tenantKey } from './support.ts';

const TOKENS = {
  acme: 'gho_acmeconnectedaccount0000000000000',
  globex: 'gho_globexconnectedaccount000000000000',
};
const REPOS = { acme: 'acme/platform', globex: 'globex/secret-plans' };

interface Health {
  providers: { circuits: Array<{ name: string }>; writePacing: Array<{ key: string }>; waitingFor: string[] };
  deliveryRecovery?: unknown;
}

describe('GET /api/v1/health shows a tenant only what serves its own links', () => {
  let github: LoopbackGithub;
  let bridge: TestBridge;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    github = await startLoopbackGithub({
      repos: {
        [REPOS.acme]: { files: repoFiles(services()) },
        [REPOS.globex]: { files: repoFiles(services()) },
      },
      auth: { tokens: Object.values(TOKENS) },
    });
    bridge = await startTestBridge({
      GITHUB_API_URL: github.url,
      GITHUB_OAUTH_CLIENT_ID: 'Iv1.loopbackclient01',
      GITHUB_OAUTH_CLIENT_SECRET: 'oauth-client-secret-0123456789abcdef',
    });
    for (const tenant of ['acme', 'globex'] as const) {
      keys[tenant] = (await tenantKey(bridge, tenant)).key;
      await storeGithubUserToken(bridge.ctx, {
        tenant,
        connectedBy: 'key-test',
        token: { token: TOKENS[tenant], tokenType: 'bearer', scopes: ['repo'] },
      });
      const design = join(bridge.dir, `${tenant}.json`);
      await writeFile(design, JSON.stringify(designOf(services())));
      const body = { repo: `https://github.com/${REPOS[tenant]}`, design: pathToFileURL(design).href };
      expect((await bridge.api('POST', '/api/v1/links', body, keys[tenant])).status).toBe(201);
    }
    await bridge.idle();
  });
  afterAll(async () => {
    await bridge?.close();
    await github?.close();
  });

  const health = async (token?: string) => {
    const res = await bridge.api<Health>('GET', '/api/v1/health', undefined, token);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('each tenant sees its own provider entries and none of the other’s; the admin sees all', async () => {
    const admin = await health();
    const acme = await health(keys.acme);
    const globex = await health(keys.globex);
    const names = (h: Health) => h.providers.circuits.map((c) => c.name).sort();
    expect(names(admin)).toHaveLength(2);
    expect(names(acme)).toHaveLength(1);
    expect(names(globex)).toHaveLength(1);
    expect(names(acme)).not.toEqual(names(globex));
    expect([...names(acme), ...names(globex)].sort()).toEqual(names(admin));
    for (const [own, other] of [
      [acme, globex],
      [globex, acme],
    ] as const) {
      const text = JSON.stringify(own);
      for (const name of names(other)) expect(text).not.toContain(name);
    }
    expect(JSON.stringify(acme)).not.toContain('globex');
    expect(JSON.stringify(globex)).not.toContain('acme');
  });

  it('the instance-wide jobs’ records are the admin’s', async () => {
    expect((await health()).deliveryRecovery).toBeDefined();
    expect((await health(keys.acme)).deliveryRecovery).toBeUndefined();
  });
});
