import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const LOOPBACK_ACCESS_TOKEN = 'ya29.loopback-metadata-token';

export interface MonitoringRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

/** Monitoring v3 `TimeSeries` as the REST API takes it (the fields the test reads). */
export interface TimeSeries {
  metric: { type: string; labels?: Record<string, string> };
  resource: { type: string; labels?: Record<string, string> };
  metricKind: string;
  valueType: string;
  points: Array<{
    value: { int64Value?: string | number; doubleValue?: number; distributionValue?: unknown };
  }>;
}

export interface LoopbackMonitoring {
  /** host:port of the HTTPS Monitoring API (MONITORING_API_ENDPOINT). */
  endpoint: string;
  /** host:port of the plain-HTTP metadata server (GCE_METADATA_HOST), as on Cloud Run. */
  metadataHost: string;
  /** The PEM of the self-signed certificate the Monitoring API serves (NODE_EXTRA_CA_CERTS). */
  certFile: string;
  requests: MonitoringRequest[];
  timeSeries(): TimeSeries[];
  descriptors(): Array<{ type: string; metricKind: string; valueType: string }>;
  close(): Promise<void>;
}

/** Whether a self-signed certificate can be made here (the test skips with this reason otherwise). */
export function opensslMissing(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl is not installed: no self-signed certificate for the loopback Monitoring API';
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    ...headers,
  });
  res.end(text);
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

/**
 * Cloud Monitoring's v3 REST API (metricDescriptors get/create, timeSeries create) over HTTPS with a
 * self-signed certificate, and the metadata server Google's auth library asks for the project and
 * an access token on Cloud Run. Every Monitoring request must carry that token.
 */
export async function startLoopbackMonitoring(project: string): Promise<LoopbackMonitoring> {
  const dir = await mkdtemp(join(tmpdir(), 'loopback-monitoring-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  const requests: MonitoringRequest[] = [];
  const descriptors = new Map<string, { type: string; metricKind: string; valueType: string }>();
  const prefix = `/v3/projects/${project}`;

  const monitoring = createHttpsServer(
    { key: await readFile(keyFile), cert: await readFile(certFile) },
    async (req, res) => {
      const text = await readBody(req);
      const path = decodeURIComponent(new URL(req.url ?? '/', 'https://x').pathname);
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      if (req.headers.authorization !== `Bearer ${LOOPBACK_ACCESS_TOKEN}`) {
        return send(res, 401, {
          error: {
            code: 401,
            message: 'Request had invalid authentication credentials.',
            status: 'UNAUTHENTICATED',
          },
        });
      }
      if (req.method === 'GET' && path.startsWith(`${prefix}/metricDescriptors/`)) {
        const found = descriptors.get(path.slice(`${prefix}/metricDescriptors/`.length));
        return found
          ? send(res, 200, found)
          : send(res, 404, {
              error: { code: 404, message: 'Could not find descriptor.', status: 'NOT_FOUND' },
            });
      }
      if (req.method === 'POST' && path === `${prefix}/metricDescriptors`) {
        const descriptor = body as { type: string; metricKind: string; valueType: string };
        descriptors.set(descriptor.type, descriptor);
        return send(res, 200, descriptor);
      }
      if (req.method === 'POST' && path === `${prefix}/timeSeries`) {
        const series = (body as { timeSeries?: TimeSeries[] }).timeSeries ?? [];
        const unknown = series.find((s) => !descriptors.has(s.metric.type));
        if (unknown) {
          return send(res, 400, {
            error: {
              code: 400,
              message: `No descriptor for ${unknown.metric.type}`,
              status: 'INVALID_ARGUMENT',
            },
          });
        }
        return send(res, 200, {});
      }
      send(res, 404, {
        error: { code: 404, message: `No route ${req.method} ${path}`, status: 'NOT_FOUND' },
      });
    },
  );

  const flavor = { 'metadata-flavor': 'Google' };
  const metadata = createHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.headers['metadata-flavor'] !== 'Google') return send(res, 403, 'Missing Metadata-Flavor', flavor);
    if (path === '/computeMetadata/v1/instance' || path === '/computeMetadata/v1/instance/')
      return send(res, 200, 'ok', flavor);
    if (path === '/computeMetadata/v1/project/project-id') return send(res, 200, project, flavor);
    if (path === '/computeMetadata/v1/instance/service-accounts/default/token') {
      return send(
        res,
        200,
        { access_token: LOOPBACK_ACCESS_TOKEN, expires_in: 3599, token_type: 'Bearer' },
        flavor,
      );
    }
    if (path === '/computeMetadata/v1/universe/universe-domain')
      return send(res, 200, 'googleapis.com', flavor);
    send(res, 404, 'Not found', flavor);
  });

  const [endpoint, metadataHost] = await Promise.all([listen(monitoring), listen(metadata)]);
  const posted = () =>
    requests.filter(
      (r) =>
        r.method === 'POST' &&
        r.path === `${prefix}/timeSeries` &&
        r.authorization === `Bearer ${LOOPBACK_ACCESS_TOKEN}`,
    );
  return {
    endpoint,
    metadataHost,
    certFile,
    requests,
    timeSeries: () => posted().flatMap((r) => (r.body as { timeSeries: TimeSeries[] }).timeSeries),
    descriptors: () => [...descriptors.values()],
    async close() {
      for (const server of [monitoring, metadata]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
