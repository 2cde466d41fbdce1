import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../shared/app/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { fromNodeRequest, sendNodeResponse } from '../../shared/http/index.ts';
import { createGithubWebhookHandler } from '../../shared/ingress/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { noopMetrics } from '../../shared/metrics/index.ts';
import { listenLoopback } from '../lib/listen-loopback.ts';
import { serveIpc } from './serve-ipc.ts';

// The bridge's webhook handler alone (verify, dedupe, durable publish to the SQLite queue) with no
// consumer in the process — the shape of the github-webhook function on GCP, where the worker is
// another service. A diagnostic beside the full local server, not the figure the target is about.
await serveIpc(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bridge-bench-ingress-'));
  const env = {
    BRIDGE_DATA_DIR: join(dir, 'data'),
    BRIDGE_DEMO: 'false',
    LOG_LEVEL: 'warn',
    GITHUB_WEBHOOK_SECRET: process.env.BENCH_WEBHOOK_SECRET ?? '',
  };
  // BENCH_METRICS=off: the same handler on a context without instruments (the metrics-cost peer).
  const ctx = await createContext(loadConfig(env), {
    env,
    logger: createLogger({ level: 'warn', write: () => {} }),
    ...(process.env.BENCH_METRICS === 'off' ? { metrics: noopMetrics() } : {}),
  });
  const handler = createGithubWebhookHandler(ctx);
  const server = createServer((req, res) => {
    void handler(fromNodeRequest(req)).then((response) => sendNodeResponse(res, response));
  });
  return listenLoopback(server, async () => {
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  });
});
