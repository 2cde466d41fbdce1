import { startBenchBridge } from '../lib/start-bridge.ts';
import { serveIpc } from './serve-ipc.ts';

// The bridge's local server (ingress, embedded bus and worker in one process), forked by the bench.
await serveIpc(async () => {
  const bridge = await startBenchBridge({ GITHUB_WEBHOOK_SECRET: process.env.BENCH_WEBHOOK_SECRET ?? '' });
  return { url: bridge.url, idle: bridge.idle, close: bridge.close };
});
