import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGithubSchemas } from './openapi-schemas.ts';

/** A hook-delivery-item as GitHub's schema describes it (every required field). */
export interface DeliveryItem {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  throttled_at?: string | null;
}

export interface LoopbackAppHooks {
  url: string;
  appId: string;
  /** PEM (PKCS#1, as GitHub hands out App keys). */
  privateKey: string;
  /** Newest first, as GitHub lists them. */
  deliveries: DeliveryItem[];
  /** Adds attempts, keeping the list newest first. */
  seed(items: DeliveryItem[]): void;
  /** delivery ids asked to be redelivered, in order. */
  redeliveries: number[];
  /** Bodies of PATCH /app/hook/config. */
  configUpdates: Array<Record<string, unknown>>;
  requests: Array<{ method: string; path: string; status: number }>;
  /** Responses or requests that broke GitHub's OpenAPI schema. Should stay empty. */
  schemaErrors: string[];
  /** Status the next PATCH /app/hook/config answers instead of applying it. */
  failNextConfigUpdate(status: number): void;
  /** Status codes the next redelivery requests answer (default 202). */
  failNextRedeliveries(status: number, times?: number): void;
  close(): Promise<void>;
}

const LIST = 'apps/list-webhook-deliveries';
const REDELIVER = 'apps/redeliver-webhook-delivery';
const UPDATE_CONFIG = 'apps/update-webhook-config-for-app';

function verifyAppJwt(
  header: string | undefined,
  appId: string,
  publicKey: ReturnType<typeof createPublicKey>,
) {
  const token = /^bearer (.+)$/i.exec(header ?? '')?.[1];
  const [h, p, s] = token?.split('.') ?? [];
  if (!h || !p || !s) return false;
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) return false;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number };
  return String(claims.iss) === appId && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
}

/**
 * The GitHub App hook-delivery endpoints the scheduler uses, answering with bodies checked against
 * @octokit/openapi: list deliveries (paged with `cursor` in the Link header, newest first), ask a
 * redelivery (which GitHub records as a new attempt with the same guid), and update the hook config.
 * Requests must carry a valid App JWT signed with this server's key.
 */
export async function startLoopbackAppHooks(options: {
  now: () => Date;
  pageSize?: number;
  /** Status of the attempt a redelivery creates (default 200). */
  redeliveryStatusCode?: number;
}): Promise<LoopbackAppHooks> {
  const schemas = await loadGithubSchemas();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = createPublicKey(publicKey);
  const appId = '424242';
  const failures: number[] = [];
  const configFailures: number[] = [];
  let url = '';

  const state: LoopbackAppHooks = {
    url: '',
    appId,
    privateKey,
    deliveries: [],
    redeliveries: [],
    configUpdates: [],
    requests: [],
    schemaErrors: [],
    seed(items) {
      state.deliveries.push(...items);
      state.deliveries.sort((a, b) => b.delivered_at.localeCompare(a.delivered_at) || b.id - a.id);
    },
    failNextConfigUpdate(status) {
      configFailures.push(status);
    },
    failNextRedeliveries(status, times = 1) {
      for (let i = 0; i < times; i += 1) failures.push(status);
    },
    close: async () => {},
  };

  const send = (
    res: ServerResponse,
    operationId: string | undefined,
    status: number,
    body: unknown,
    headers = {},
  ) => {
    if (operationId) {
      for (const e of schemas.response(operationId, status, body))
        state.schemaErrors.push(`${operationId} ${status}: ${e}`);
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const u = new URL(req.url ?? '/', url);
    const method = req.method ?? 'GET';
    if (!verifyAppJwt(req.headers.authorization, appId, key)) {
      return send(res, undefined, 401, { message: 'A JSON web token could not be decoded', status: '401' });
    }
    if (method === 'GET' && u.pathname === '/app/hook/deliveries') {
      const perPage = Math.min(Number(u.searchParams.get('per_page') ?? 30), options.pageSize ?? 100);
      const cursor = u.searchParams.get('cursor');
      const start = cursor ? state.deliveries.findIndex((d) => String(d.id) === cursor) : 0;
      const page = start < 0 ? [] : state.deliveries.slice(start, start + perPage);
      const next = start < 0 ? undefined : state.deliveries[start + perPage];
      const link = next
        ? { link: `<${url}/app/hook/deliveries?per_page=${perPage}&cursor=${next.id}>; rel="next"` }
        : {};
      return send(res, LIST, 200, page, link);
    }
    const redeliver = /^\/app\/hook\/deliveries\/(\d+)\/attempts$/.exec(u.pathname);
    if (method === 'POST' && redeliver) {
      const id = Number(redeliver[1]);
      const original = state.deliveries.find((d) => d.id === id);
      if (!original) return send(res, undefined, 404, { message: 'Not Found', status: '404' });
      const failure = failures.shift();
      if (failure !== undefined)
        return send(res, undefined, failure, { message: 'Injected failure', status: String(failure) });
      state.redeliveries.push(id);
      const code = options.redeliveryStatusCode ?? 200;
      state.deliveries.unshift({
        ...original,
        id: Math.max(...state.deliveries.map((d) => d.id)) + 1,
        delivered_at: options
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        redelivery: true,
        status: code === 200 ? 'OK' : `Invalid HTTP Response: ${code}`,
        status_code: code,
      });
      return send(res, REDELIVER, 202, {});
    }
    if (method === 'PATCH' && u.pathname === '/app/hook/config') {
      const failure = configFailures.shift();
      if (failure !== undefined)
        return send(res, undefined, failure, { message: 'Injected failure', status: String(failure) });
      const parsed = JSON.parse(body) as Record<string, unknown>;
      for (const e of schemas.request(UPDATE_CONFIG, parsed))
        state.schemaErrors.push(`${UPDATE_CONFIG} request: ${e}`);
      state.configUpdates.push(parsed);
      return send(res, UPDATE_CONFIG, 200, {
        content_type: 'json',
        insecure_ssl: '0',
        secret: '********',
        url: 'https://bridge.example.com/github/webhook',
      });
    }
    return send(res, undefined, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
    });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8'))
        .catch((err: unknown) => send(res, undefined, 500, { message: String(err) }))
        .finally(() => {
          state.requests.push({ method: req.method ?? '', path: req.url ?? '', status: res.statusCode });
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.url = url;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

let nextId = 1000;
/** Test-data builder: one delivery attempt, shaped like the spec's example. */
export function deliveryAttempt(
  guid: string,
  deliveredAt: Date,
  statusCode: number,
  overrides: Partial<DeliveryItem> = {},
): DeliveryItem {
  nextId += 1;
  return {
    id: nextId,
    guid,
    delivered_at: deliveredAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    redelivery: false,
    duration: 0.27,
    status:
      statusCode === 200
        ? 'OK'
        : statusCode === 0
          ? 'failed to connect'
          : `Invalid HTTP Response: ${statusCode}`,
    status_code: statusCode,
    event: 'push',
    action: null,
    installation_id: 123,
    repository_id: 456,
    throttled_at: null,
    ...overrides,
  };
}
