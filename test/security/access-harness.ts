import { storeGithubUserToken } from '../../shared/oauth/index.ts';
import type { Link, Operation } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../support/loopback-drive/index.ts';
import {
  type LoopbackGithub,
  type RepoPermission,
  startLoopbackGithub,
} from '../support/loopback-github/index.ts';
import { designOf, repoFiles, services } from '../sync/support.ts';

export const BRIDGE_TOKEN = 'ghp_bridgeowntokenreacheseverything00';
export const GOOGLE_TOKEN = 'ya29.access-harness-token';
export const VICTIM = 'victim-org/private-repo';

/**
 * A bridge with GitHub credentials of its own that reach every repository of a loopback GitHub
 * (the victim's included), a Drive design per link, and tenants that may connect GitHub accounts.
 */
export interface AccessHarness {
  bridge: TestBridge;
  github: LoopbackGithub;
  drive: LoopbackDrive;
  key(tenant: string): Promise<string>;
  /** Stores a connected account for `tenant` whose token reaches `repos` on the loopback GitHub. */
  connect(tenant: string, repos: Record<string, RepoPermission>): Promise<string>;
  /**
   * Links `repo` to `design` (a Drive URL), or to a fresh Drive file granted to the key's tenant (so
   * only the repository's access is in question).
   */
  link(
    key: string,
    repo: string,
    policy?: Record<string, unknown>,
    design?: string,
  ): Promise<{ status: number; body: Link & { initialOperationId: string; error?: { message: string } } }>;
  sync(key: string, linkId: string): Promise<Operation>;
  /** Requests that reached `repo` (`owner/name`) since `from`, with the kind of credential used. */
  requestsTo(repo: string, from?: number): Array<{ route: string | undefined; auth: string }>;
  /** A design file on the loopback Drive, in `parents` (folder ids). */
  addDesign(fileId: string, parents?: string[]): void;
  /** Requests that named Drive file `fileId` since `from` (an index into `drive.requests`). */
  driveRequestsTo(fileId: string, from?: number): Array<{ method: string; path: string; fields?: string }>;
  grant(tenant: string, kind: string, value: string): Promise<{ status: number; body: unknown }>;
  revoke(tenant: string, kind: string, value: string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

let designs = 0;

export async function startAccessHarness(env: Record<string, string> = {}): Promise<AccessHarness> {
  const files = repoFiles(services());
  const github = await startLoopbackGithub({
    repos: {
      [VICTIM]: { files },
      'acme/platform': { files },
      'acme/readonly': { files },
      'globex/platform': { files },
    },
    auth: { tokens: [BRIDGE_TOKEN] },
  });
  const drive = await startLoopbackDrive({ accessToken: GOOGLE_TOKEN, autoNotify: false });
  const bridge = await startTestBridge({
    GITHUB_TOKEN: BRIDGE_TOKEN,
    GITHUB_API_URL: github.url,
    GOOGLE_ACCESS_TOKEN: GOOGLE_TOKEN,
    DRIVE_API_ROOT_URL: drive.url,
    GITHUB_OAUTH_CLIENT_ID: 'Iv1.accessharness0001',
    GITHUB_OAUTH_CLIENT_SECRET: 'access-harness-client-secret-0123456789',
    ...env,
  });
  const content = JSON.stringify(designOf(services()), null, 2);
  const tenants = new Map<string, string>();
  const grant = (tenant: string, kind: string, value: string) =>
    bridge.api('PUT', `/api/v1/tenants/${tenant}/grants/${kind}/${encodeURIComponent(value)}`);
  return {
    bridge,
    github,
    drive,
    async key(tenant) {
      const res = await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant });
      if (res.status !== 201) throw new Error(`key for ${tenant}: ${JSON.stringify(res.body)}`);
      tenants.set(res.body.key, tenant);
      return res.body.key;
    },
    async connect(tenant, repos) {
      const token = `gho_${tenant.replaceAll('-', '')}${'0'.repeat(30)}`.slice(0, 40);
      github.setUserToken(token, { repos });
      await storeGithubUserToken(bridge.ctx, {
        tenant,
        connectedBy: 'key-test',
        token: { token, tokenType: 'bearer', scopes: ['repo'] },
      });
      return token;
    },
    async link(key, repo, policy = { writes: 'direct' }, design = undefined) {
      let url = design;
      if (url === undefined) {
        designs += 1;
        const fileId = `access-design-${designs}`;
        drive.addFile(fileId, { name: 'architecture.json', content });
        const tenant = tenants.get(key);
        const granted = tenant ? await grant(tenant, 'drive-files', fileId) : undefined;
        if (granted && granted.status !== 201) {
          throw new Error(`grant of ${fileId}: ${JSON.stringify(granted.body)}`);
        }
        url = `https://drive.google.com/file/d/${fileId}`;
      }
      const body = {
        repo: `https://github.com/${repo}`,
        design: url,
        branch: 'main',
        policy,
      };
      const res = await bridge.api<Link & { initialOperationId: string }>('POST', '/api/v1/links', body, key);
      await bridge.idle();
      return res;
    },
    async sync(key, linkId) {
      const queued = await bridge.api<{ operationId: string }>(
        'POST',
        `/api/v1/links/${linkId}/sync`,
        {},
        key,
      );
      if (queued.status !== 202) throw new Error(`sync: ${JSON.stringify(queued.body)}`);
      await bridge.idle();
      return (
        await bridge.api<Operation>('GET', `/api/v1/operations/${queued.body.operationId}`, undefined, key)
      ).body;
    },
    requestsTo(repo, from = 0) {
      const prefix = `/repos/${repo}`.toLowerCase();
      const [owner, name] = repo.toLowerCase().split('/');
      const aimsAt = (body: unknown) => {
        const vars = (body as { variables?: { owner?: string; name?: string } } | undefined)?.variables;
        return vars?.owner?.toLowerCase() === owner && vars?.name?.toLowerCase() === name;
      };
      return github.requests
        .slice(from)
        .filter(
          (r) => r.path.toLowerCase().startsWith(prefix) || (r.route === '/graphql' && aimsAt(r.requestBody)),
        )
        .map((r) => ({ route: r.route, auth: r.auth }));
    },
    addDesign(fileId, parents = []) {
      drive.addFile(fileId, { name: 'architecture.json', content, parents });
    },
    driveRequestsTo(fileId, from = 0) {
      return drive.requests
        .slice(from)
        .filter((r) => r.path.endsWith(`/files/${fileId}`))
        .map((r) => ({
          method: r.method,
          path: `${r.path}${r.query.alt ? `?alt=${r.query.alt}` : ''}`,
          ...(r.query.fields ? { fields: r.query.fields } : {}),
        }));
    },
    grant,
    revoke: (tenant, kind, value) =>
      bridge.api('DELETE', `/api/v1/tenants/${tenant}/grants/${kind}/${encodeURIComponent(value)}`),
    async close() {
      await bridge.close();
      await github.close();
      await drive.close();
    },
  };
}
