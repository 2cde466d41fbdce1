import { once } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
}

/** Rejects after `ms` with `what` unless `promise` settles first. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A client that sends headers and part of a body, then stalls (or keeps streaming 64 KiB chunks when
 * `stream`). `answered` settles with the server's response; `sent` is how many body bytes went out.
 */
export interface SlowUpload {
  answered: Promise<Answer>;
  /** Settles when the server closes the connection. */
  closed: Promise<void>;
  sent(): number;
  destroy(): void;
}

export function slowUpload(
  url: string,
  headers: Record<string, string>,
  options: { first?: number; stream?: boolean } = {},
): SlowUpload {
  let sent = 0;
  let answered = false;
  const req = request(url, { method: 'POST', headers, agent: false });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
  });
  answer.catch(() => {});
  const closed = new Promise<void>((resolve) => {
    req.on('socket', (socket: Socket) => socket.once('close', () => resolve()));
  });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = () => {
    while (!answered && !req.destroyed) {
      sent += chunk.length;
      if (!req.write(chunk)) {
        req.once('drain', pump);
        return;
      }
    }
  };
  const first = Buffer.alloc(options.first ?? 16, 0x20);
  sent += first.length;
  req.write(first);
  if (options.stream) pump();
  return { answered: answer, closed, sent: () => sent, destroy: () => req.destroy() };
}

/** A raw socket that sends `text` and nothing more; `closed` settles when the server hangs up. */
export function rawClient(port: number, text: string): { closed: Promise<string>; destroy(): void } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d: Buffer) => {
    received += d.toString();
  });
  socket.on('error', () => {});
  socket.write(text);
  return {
    closed: once(socket, 'close').then(() => received),
    destroy: () => socket.destroy(),
  };
}

/** Resolves once the server has seen `count` more requests (their headers, not their bodies). */
export function requestsArrived(server: Server, count: number): Promise<IncomingMessage[]> {
  const seen: IncomingMessage[] = [];
  return new Promise((resolve) => {
    const onRequest = (req: IncomingMessage) => {
      seen.push(req);
      if (seen.length < count) return;
      server.off('request', onRequest);
      resolve(seen);
    };
    server.on('request', onRequest);
  });
}
