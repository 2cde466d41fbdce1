import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface ResetProxy {
  url: string;
  /** The next `n` HTTP requests (on any connection) are answered with a TCP reset. */
  resetNext(n: number): void;
  /** Requests reset so far. */
  resets(): number;
  close(): Promise<void>;
}

const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /;

/**
 * A TCP proxy in front of a loopback server that can reset connections the way a broken network or
 * a crashed load balancer does (RST, no HTTP answer), which an HTTP-level fault cannot imitate.
 */
export async function startResetProxy(target: string): Promise<ResetProxy> {
  const { hostname, port } = new URL(target);
  let pending = 0;
  let done = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    const upstream = connect(Number(port), hostname);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (pending > 0 && REQUEST_LINE.test(chunk.subarray(0, 8).toString('latin1'))) {
        pending -= 1;
        done += 1;
        upstream.destroy();
        client.resetAndDestroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    resetNext(n) {
      pending += n;
    },
    resets: () => done,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
