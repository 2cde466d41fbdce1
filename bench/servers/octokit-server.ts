import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Webhooks } from '@octokit/webhooks';
import { serveIpc } from './serve-ipc.ts';

// The peer: @octokit/webhooks' Node middleware (verify + parse + emit) on a plain node:http server.
await serveIpc(async () => {
  const webhooks = new Webhooks({ secret: process.env.BENCH_WEBHOOK_SECRET ?? '' });
  let received = 0;
  webhooks.on('push', () => {
    received++;
  });
  const middleware = createNodeMiddleware(webhooks, {
    path: '/github/webhook',
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: console.error },
  });
  const server = createServer((req, res) => {
    void middleware(req, res).then((handled) => {
      if (!handled) {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    idle: async () => {},
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        void received;
      }),
  };
});
