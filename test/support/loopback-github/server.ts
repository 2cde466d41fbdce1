import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FaultHandle, FaultList, type FaultSpec } from './faults.ts';
import { executeGraphql } from './graphql-executor.ts';
import { type AuthKind, LoopbackAuth, type LoopbackAuthOptions, type UserAccess } from './loopback-auth.ts';
import { LoopbackRepo, type RepoSeed } from './loopback-repo.ts';
import { loadOpenapiValidator, type OpenapiValidator } from './openapi-validator.ts';
import { installation } from './payloads.ts';
import { GithubHttpError, type RouteResponse } from './route-types.ts';
import { collabRoutes } from './routes-collab.ts';
import { contentsRoutes } from './routes-contents.ts';
import { gitRoutes } from './routes-git.ts';
import { hooksRoutes } from './routes-hooks.ts';
import { issueRoutes } from './routes-issues.ts';
import { repoRoutes } from './routes-repo.ts';

export interface LoopbackGithubOptions {
  /** `'owner/name'` → seed (default branch and its files). */
  repos: Record<string, RepoSeed>;
  /** Credentials to require; without it every request is accepted. */
  auth?: LoopbackAuthOptions;
  /** Validate every request and response body against `@octokit/openapi` (default true). */
  validate?: boolean;
  /** A recursive tree listing longer than this is cut and marked `truncated` (GitHub: 100,000). */
  treeEntryLimit?: number;
  /** GraphQL `Blob.text` is cut after this many bytes and `isTruncated` is set (default 512 KiB). */
  blobTextLimit?: number;
  /** Primary rate limit per resource (core, graphql) per hour (default 5000). */
  rateLimit?: number;
  now?: () => Date;
}

export interface RequestLogEntry {
  method: string;
  /** Path as received (percent-encoding kept), query string excluded. */
  path: string;
  query: string;
  /** OpenAPI path template, `/graphql`, or undefined when no route matched. */
  route: string | undefined;
  status: number;
  auth: AuthKind;
  faulted: boolean;
  /** The response body was checked against the OpenAPI schema. */
  validated: boolean;
  requestBody: unknown;
  headers: Record<string, string | undefined>;
}

export interface ValidationFailure {
  kind: 'request' | 'response';
  method: string;
  route: string;
  status?: number;
  errors: string[];
}

export interface LoopbackGithub {
  /** Base URL for clients (api.github.com style); GraphQL at `${url}/graphql`. */
  url: string;
  /** The same server as GitHub Enterprise Server spells it: REST at `/api/v3`, GraphQL at `/api/graphql`. */
  ghesUrl: string;
  repo(fullName: string): LoopbackRepo;
  /** Every request received, in order. */
  readonly requests: RequestLogEntry[];
  /** Schema mismatches seen so far (the server also answers them with 422 / 500). */
  readonly validationErrors: ValidationFailure[];
  injectFault(spec: FaultSpec): FaultHandle;
  /** Adds or replaces a user token and what it reaches (for example one an OAuth loopback minted). */
  setUserToken(token: string, access: UserAccess): void;
  removeUserToken(token: string): void;
  /** Installation tokens handed out (no token values). */
  readonly issuedTokens: ReadonlyArray<{ installationId: number; expiresAt: string }>;
  /** Throws when any request or response failed schema validation. */
  assertValid(): void;
  close(): Promise<void>;
}

const REPO_PREFIX = '/repos/{owner}/{repo}';

function routeRegex(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const pattern = template
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}]+)\}/g, (_m, name: string) => {
      names.push(name);
      // Ref-like parameters may contain slashes (`heads/feature/x`), literal or encoded.
      return name === 'ref' || name === 'tree_sha' || name === 'path' ? '(.+)' : '([^/]+)';
    });
  return { regex: new RegExp(`^${pattern}$`), names };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLoopbackGithub(options: LoopbackGithubOptions): Promise<LoopbackGithub> {
  const now = options.now ?? (() => new Date());
  const validator: OpenapiValidator | undefined =
    options.validate === false ? undefined : await loadOpenapiValidator();
  let nextId = 1;
  const repos = new Map<string, LoopbackRepo>();
  for (const [name, seed] of Object.entries(options.repos)) {
    repos.set(name.toLowerCase(), new LoopbackRepo(name, seed, () => nextId++));
  }
  const auth = new LoopbackAuth(options.auth, now);
  const faults = new FaultList();
  const requests: RequestLogEntry[] = [];
  const validationErrors: ValidationFailure[] = [];
  const limit = options.rateLimit ?? 5000;
  const resetAt = Math.ceil(now().getTime() / 1000) + 3600;
  const used: Record<'core' | 'graphql', number> = { core: 0, graphql: 0 };
  const routes = [
    ...gitRoutes({ treeEntryLimit: options.treeEntryLimit ?? 100_000 }),
    ...collabRoutes(),
    ...issueRoutes(),
    ...contentsRoutes(),
    ...repoRoutes(),
    ...hooksRoutes(),
  ].map((r) => ({ ...r, ...routeRegex(r.template) }));
  let base = '';

  const findRepo = (owner: string, name: string) => repos.get(`${owner}/${name}`.toLowerCase());

  /** The GitHub App routes, authenticated with the App's JWT. */
  const handleApp = (
    method: string,
    path: string,
    authorization: string | undefined,
    entry: RequestLogEntry,
  ): RouteResponse | undefined => {
    const inst = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(path);
    if (method === 'GET' && inst) {
      entry.route = `${REPO_PREFIX}/installation`;
      entry.auth = auth.check(authorization, { app: true }).kind;
      const repo = findRepo(decodeURIComponent(inst[1]!), decodeURIComponent(inst[2]!));
      if (!repo) throw new GithubHttpError(404, 'Not Found');
      return { status: 200, body: installation(base, repo, auth.appId) };
    }
    const tok = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (method === 'POST' && tok) {
      entry.route = '/app/installations/{installation_id}/access_tokens';
      entry.auth = auth.check(authorization, { app: true }).kind;
      const id = Number(tok[1]);
      if (![...repos.values()].some((r) => r.installationId === id))
        throw new GithubHttpError(404, 'Not Found');
      return { status: 201, body: { ...auth.issueInstallationToken(id), repository_selection: 'all' } };
    }
    return undefined;
  };

  const dispatch = (
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    authorization: string | undefined,
    entry: RequestLogEntry,
  ): RouteResponse => {
    const app = handleApp(method, path, authorization, entry);
    if (app) return app;
    if (method === 'POST' && path === '/graphql') {
      entry.route = '/graphql';
      const a = auth.check(authorization, { app: false });
      entry.auth = a.kind;
      const { query: text, variables } = (body ?? {}) as {
        query?: string;
        variables?: Record<string, unknown>;
      };
      const result = executeGraphql(String(text ?? ''), variables ?? {}, {
        findRepo: (o, n) => {
          const repo = findRepo(o, n);
          return repo &&
            (a.installationId === undefined || repo.installationId === a.installationId) &&
            (a.reaches === undefined || a.reaches(repo.fullName))
            ? repo
            : undefined;
        },
        blobTextLimit: options.blobTextLimit ?? 512 * 1024,
        rateLimit: () => ({
          limit,
          remaining: limit - used.graphql,
          resetAt: new Date(resetAt * 1000).toISOString(),
        }),
      });
      return { status: 200, body: result };
    }
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      entry.route = r.template;
      const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      const repo = findRepo(params.owner ?? '', params.repo ?? '');
      if (!repo) throw new GithubHttpError(404, 'Not Found');
      entry.auth = auth.kindOf(authorization);
      const who = auth.check(authorization, {
        app: false,
        installationId: repo.installationId,
        repo: repo.fullName,
        write: method !== 'GET',
      });
      entry.auth = who.kind;
      if (validator && (method === 'POST' || method === 'PATCH' || method === 'PUT')) {
        const errors = validator.validateRequest(method, r.template, body);
        if (errors.length > 0) {
          validationErrors.push({ kind: 'request', method, route: r.template, errors });
          throw new GithubHttpError(422, `Invalid request.\n\n${errors.join('\n')}`);
        }
      }
      return r.handle({ base, params, query, body, repo, auth: who, now });
    }
    throw new GithubHttpError(404, 'Not Found');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://loopback');
    let path = url.pathname;
    if (path === '/api/graphql') path = '/graphql';
    else if (path.startsWith('/api/v3/')) path = path.slice('/api/v3'.length);
    const raw = await readBody(req);
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      query: url.search,
      route: undefined,
      status: 0,
      auth: 'none',
      faulted: false,
      validated: false,
      requestBody: undefined,
      headers: {
        authorization: req.headers.authorization ? '(present)' : undefined,
        'if-none-match': req.headers['if-none-match'],
        'user-agent': req.headers['user-agent'],
      },
    };
    requests.push(entry);
    const resource = path === '/graphql' ? 'graphql' : 'core';
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `LOOPBACK:${requests.length}`,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-resource': resource,
    };
    let response: RouteResponse;
    try {
      entry.requestBody = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      entry.requestBody = raw;
    }
    const fault = faults.take(method, path, now().getTime());
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.response) {
      entry.faulted = true;
      response = {
        status: fault.response.status,
        body: fault.response.body,
        headers: fault.response.headers,
      };
    } else {
      try {
        if (typeof entry.requestBody === 'string') throw new GithubHttpError(400, 'Problems parsing JSON');
        if (used[resource] >= limit) {
          throw new GithubHttpError(403, 'API rate limit exceeded.', {}, { 'x-ratelimit-remaining': '0' });
        }
        response = dispatch(
          method,
          path,
          url.searchParams,
          entry.requestBody,
          req.headers.authorization,
          entry,
        );
      } catch (err) {
        if (!(err instanceof GithubHttpError)) throw err;
        response = { status: err.status, body: err.body(), headers: err.headers };
      }
      if (method === 'GET' && response.status === 200) {
        const etag = `W/"${createHash('sha1').update(JSON.stringify(response.body)).digest('hex')}"`;
        headers.etag = etag;
        if (req.headers['if-none-match'] === etag) response = { status: 304 };
      }
      // GitHub does not count a 304 answer to a conditional request against the rate limit.
      if (response.status !== 304) used[resource] += 1;
      if (validator && entry.route && entry.route !== '/graphql') {
        const documented = validator.validateResponse(method, entry.route, response.status, response.body);
        entry.validated = true;
        if (documented.length > 0) {
          validationErrors.push({
            kind: 'response',
            method,
            route: entry.route,
            status: response.status,
            errors: documented,
          });
          response = {
            status: 500,
            body: { message: 'loopback: response does not match the OpenAPI schema' },
          };
        }
      }
    }
    headers['x-ratelimit-used'] = String(used[resource]);
    headers['x-ratelimit-remaining'] = String(Math.max(0, limit - used[resource]));
    entry.status = response.status;
    res.writeHead(response.status, { ...headers, ...response.headers });
    res.end(response.body === undefined ? undefined : JSON.stringify(response.body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `loopback error: ${(err as Error).message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    ghesUrl: `${base}/api/v3`,
    repo(fullName) {
      const repo = repos.get(fullName.toLowerCase());
      if (!repo) throw new Error(`loopback has no repository ${fullName}`);
      return repo;
    },
    requests,
    validationErrors,
    injectFault: (spec) => faults.add(spec),
    setUserToken: (token, access) => auth.setUser(token, access),
    removeUserToken: (token) => auth.removeUser(token),
    issuedTokens: auth.issuedTokens,
    assertValid() {
      if (validationErrors.length === 0) return;
      const lines = validationErrors.map(
        (v) => `${v.kind} ${v.method} ${v.route} ${v.status ?? ''}: ${v.errors.join('; ')}`,
      );
      throw new Error(`loopback GitHub saw schema mismatches:\n${lines.join('\n')}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
