import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServedProcess } from '../servers/serve-ipc.ts';

/**
 * Listens on a free loopback port (keep-alive as the peers' servers) and answers the bench's idle
 * and close; `cleanup` runs once the server has closed.
 */
export async function listenLoopback(
  server: Server,
  cleanup: () => Promise<void> | void,
): Promise<ServedProcess> {
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    idle: async () => {},
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await cleanup();
    },
  };
}
