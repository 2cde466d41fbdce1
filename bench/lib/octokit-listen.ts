import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, type Webhooks } from '@octokit/webhooks';

/**
 * The peers' server: @octokit/webhooks' Node middleware on `/github/webhook` of a plain node:http
 * server on a free loopback port, as its README sets it up. Resolves with the URL and a close.
 */
export async function listenOctokit(webhooks: Webhooks): Promise<{ url: string; close(): Promise<void> }> {
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
