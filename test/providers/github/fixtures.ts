import { afterEach, expect } from 'vitest';
import { createLogger, type Logger } from '../../../shared/logging/index.ts';
import {
  createGithubRepoProvider,
  type GithubAppState,
  type GithubAuth,
  type GithubRepoProvider,
  type GithubTuning,
} from '../../../shared/providers/github/index.ts';
import {
  type LoopbackGithub,
  type LoopbackGithubOptions,
  startLoopbackGithub,
} from '../../support/loopback-github/index.ts';

export const OWNER = 'acme';
export const REPO = 'platform';
export const FULL = `${OWNER}/${REPO}`;

/** Fast retries for tests: waits of milliseconds instead of seconds. */
export const FAST: GithubTuning = { retryBaseMs: 1, rateLimitWaitUnitMs: 1 };

export const definitionYaml = (id: string, version = '1.0.0') =>
  `id: ${id}\nname: ${id}\nlayer: backend\nversion: ${version}\nstatus: active\ntechnologies: [node]\npath: services/${id}\n`;

/** A repository with `n` services: a definition and a package.json each, plus noise the snapshot must skip. */
export function repoWithServices(n: number, extra: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = {
    'README.md': '# platform\n',
    'architecture/README.md': 'unmanaged file\n',
    'services/shared/lib/deep/package.json': '{"name":"too-deep"}\n',
    ...extra,
  };
  for (let i = 0; i < n; i++) {
    const id = `svc-${String(i).padStart(3, '0')}`;
    files[`architecture/definitions/${id}.yaml`] = definitionYaml(id);
    files[`services/${id}/package.json`] = JSON.stringify({ name: id, version: '1.0.0' });
    files[`services/${id}/src/index.ts`] = `export const id = '${id}';\n`;
  }
  return files;
}

export interface Harness {
  server: LoopbackGithub;
  provider: GithubRepoProvider;
  logLines: string[];
}

export function captureLogger(lines: string[]): Logger {
  return createLogger({ level: 'debug', write: (line) => lines.push(line) });
}

export async function startHarness(
  files: Record<string, string>,
  options: {
    server?: Partial<LoopbackGithubOptions>;
    auth?: GithubAuth;
    baseUrl?: (server: LoopbackGithub) => string;
    tuning?: GithubTuning;
    appState?: GithubAppState;
  } = {},
): Promise<Harness> {
  const server = await startLoopbackGithub({
    repos: { [FULL]: { branch: 'main', files } },
    ...options.server,
  });
  const logLines: string[] = [];
  const provider = createGithubRepoProvider({
    owner: OWNER,
    repo: REPO,
    baseUrl: options.baseUrl ? options.baseUrl(server) : server.url,
    auth: options.auth ?? 'ghp_test_token',
    logger: captureLogger(logLines),
    tuning: { ...FAST, ...options.tuning },
    ...(options.appState ? { appState: options.appState } : {}),
  });
  return { server, provider, logLines };
}

/**
 * Starts one harness per test for a test file: after each test its responses are checked against the
 * schema (expectSchemaValid) and its server is closed.
 */
export function harnessPerTest(): (...args: Parameters<typeof startHarness>) => Promise<Harness> {
  let current: Harness | undefined;
  afterEach(async () => {
    const h = current;
    current = undefined;
    if (h) {
      expectSchemaValid(h.server);
      await h.server.close();
    }
  });
  return async (...args) => {
    current = await startHarness(...args);
    return current;
  };
}

/** Every REST response was checked against @octokit/openapi, and none failed. */
export function expectSchemaValid(server: LoopbackGithub): void {
  server.assertValid();
  const rest = server.requests.filter((r) => r.route !== undefined && r.route !== '/graphql' && !r.faulted);
  for (const r of rest) {
    expect(r.validated, `${r.method} ${r.route} ${r.status} was not validated`).toBe(true);
  }
  expect(server.requests.filter((r) => r.route === undefined && !r.faulted)).toEqual([]);
}
