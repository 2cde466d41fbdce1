import { Webhooks } from '@octokit/webhooks';
import { listenOctokit } from '../lib/octokit-listen.ts';
import { serveIpc } from './serve-ipc.ts';

// The verify-only peer: @octokit/webhooks' Node middleware (verify + parse + emit) and a push handler
// that only counts.
await serveIpc(async () => {
  const webhooks = new Webhooks({ secret: process.env.BENCH_WEBHOOK_SECRET ?? '' });
  let received = 0;
  webhooks.on('push', () => {
    received++;
  });
  const server = await listenOctokit(webhooks);
  return { url: server.url, idle: async () => {}, close: () => server.close().then(() => void received) };
});
