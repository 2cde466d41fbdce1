import { createServer, type IncomingHttpHeaders } from 'node:http';
import { fromNodeRequest, sendNodeResponse } from '../../../shared/http/index.ts';
import { createPushHandler } from '../../../shared/http/pubsub-push.ts';
import { createLogger } from '../../../shared/logging/index.ts';
import type { BusMessage } from '../../../shared/ports/index.ts';
import type { ConsumerName } from '../../../shared/topology/index.ts';

export interface PushDelivery {
  /** The subscription the envelope names (last segment). */
  subscription: string;
  /** What the push handler parsed, when it parsed the envelope. */
  message?: BusMessage;
  headers: IncomingHttpHeaders;
  status: number;
  /** performance.now() when the push arrived. */
  at: number;
}

export interface PushEndpoint {
  url: string;
  deliveries: PushDelivery[];
  /** What the consumer does with each message; throwing makes the handler answer an error status. */
  consume: (message: BusMessage) => Promise<void>;
  /** Resolves once `predicate` holds for the deliveries so far; rejects after `timeoutMs`. */
  until(predicate: (deliveries: PushDelivery[]) => boolean, timeoutMs: number): Promise<PushDelivery[]>;
  stop(): Promise<void>;
}

/**
 * A push endpoint of one consumer function on 127.0.0.1: the bridge's own push handler (the one
 * shared/edge/cloud-run.ts serves through the Functions Framework) behind a plain node HTTP server,
 * with the consumer's work replaced by `consume`. Every push is recorded with its answer.
 */
export async function startPushEndpoint(consumer: ConsumerName, topicPrefix: string): Promise<PushEndpoint> {
  const deliveries: PushDelivery[] = [];
  const waiters = new Set<() => void>();
  const endpoint: PushEndpoint = {
    url: '',
    deliveries,
    consume: async () => {},
    until(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(deliveries)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(deliveries);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`${consumer}: condition not met within ${timeoutMs} ms (${deliveries.length} pushes)`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const logger = createLogger({ write: () => {} });
  const server = createServer((req, res) => {
    const request = fromNodeRequest(req);
    void (async () => {
      const body = await request.body(16 * 1024 * 1024);
      const subscription = subscriptionOf(body);
      const delivery: PushDelivery = { subscription, headers: req.headers, status: 0, at: performance.now() };
      deliveries.push(delivery);
      // One handler per push, so the parsed message is recorded on this push's delivery.
      const handler = createPushHandler(
        async (message) => {
          delivery.message = message;
          await endpoint.consume(message);
        },
        logger,
        { consumer, topicPrefix },
      );
      const response = await handler({ ...request, body: async () => body });
      delivery.status = response.status;
      sendNodeResponse(res, response);
      for (const waiter of [...waiters]) waiter();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return endpoint;
}

/** The last segment of the envelope's subscription ('' when the body is not an envelope). */
function subscriptionOf(body: Buffer): string {
  try {
    const envelope = JSON.parse(body.toString('utf8')) as { subscription?: unknown };
    return typeof envelope.subscription === 'string' ? (envelope.subscription.split('/').at(-1) ?? '') : '';
  } catch {
    return '';
  }
}
