import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../support/loopback-drive/index.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../support/loopback-github/index.ts';
import { designOf, repoFiles, services } from '../sync/support.ts';

const APP_ID = 515151;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const GOOGLE_TOKEN = 'ya29.installation-grants';

/**
 * Hostile input: the bridge's GitHub App is installed on many organizations; a tenant names a
 * repository of an installation it was not granted. A grant of one installation opens that
 * installation's repositories only.
 */
describe('App installation grants', () => {
  let github: LoopbackGithub;
  let drive: LoopbackDrive;
  let bridge: TestBridge;
  let key: string;
  let designs = 0;

  beforeAll(async () => {
    const files = repoFiles(services());
    github = await startLoopbackGithub({
      repos: {
        'partner/app-repo': { files, installationId: 901 },
        'victim-org/private-repo': { files, installationId: 900 },
      },
      auth: { app: { id: APP_ID, publicKey } },
    });
    drive = await startLoopbackDrive({ accessToken: GOOGLE_TOKEN, autoNotify: false });
    bridge = await startTestBridge({
      GITHUB_APP_ID: String(APP_ID),
      GITHUB_APP_PRIVATE_KEY: privateKey,
      GITHUB_API_URL: github.url,
      GOOGLE_ACCESS_TOKEN: GOOGLE_TOKEN,
      DRIVE_API_ROOT_URL: drive.url,
    });
    key = (await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant: 'partner' })).body.key;
    expect((await bridge.api('PUT', '/api/v1/tenants/partner/grants/installations/901')).status).toBe(201);
  });
  afterAll(async () => {
    await bridge?.close();
    await github?.close();
    await drive?.close();
  });

  async function link(repo: string) {
    designs += 1;
    const fileId = `installation-design-${designs}`;
    drive.addFile(fileId, { name: 'architecture.json', content: JSON.stringify(designOf(services())) });
    // The design is granted: only the repository's access is in question here.
    await bridge.api('PUT', `/api/v1/tenants/partner/grants/drive-files/${fileId}`);
    const res = await bridge.api<{ id: string; error?: { code: string; message: string } }>(
      'POST',
      '/api/v1/links',
      {
        repo: `https://github.com/${repo}`,
        design: `https://drive.google.com/file/d/${fileId}`,
        branch: 'main',
      },
      key,
    );
    await bridge.idle();
    return res;
  }

  it('a repository of the granted installation links and syncs with the App', async () => {
    const res = await link('partner/app-repo');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const ops = await bridge.api<{ items: Array<{ status: string }> }>(
      'GET',
      `/api/v1/links/${res.body.id}/operations`,
      undefined,
      key,
    );
    expect(ops.body.items.map((o) => o.status)).toEqual(['succeeded']);
    expect(github.issuedTokens.map((t) => t.installationId)).toContain(901);
  });

  it('a repository of another installation is 403, and no token of that installation is minted', async () => {
    const res = await link('victim-org/private-repo');
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body.error?.message).toContain('victim-org');
    expect(github.issuedTokens.map((t) => t.installationId)).not.toContain(900);
  });
});
