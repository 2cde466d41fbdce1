import { v1 } from '@google-cloud/pubsub';
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { grpc, grpcError, type LoopbackServer, packageProtos, startLoopbackGrpc } from './grpc-loopback.ts';

/*
 * Kept beside Google's Pub/Sub emulator (see pubsub-google-emulator.test.ts) for what the emulator
 * cannot do: hold dead letters with chosen ids and publish times, fail a pull, acknowledge or release
 * on purpose, count leases, and tell whether a pull asked to return at once (the emulator answers an
 * empty pull at once anyway when its deadline is 1 s, so it cannot show that flag is sent).
 */
export interface StoredMessage {
  messageId: string;
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey?: string;
  publishTime: Date;
}

interface Held {
  message: StoredMessage;
  /** Set while pulled and neither acknowledged nor released. */
  lease?: { ackId: string; until: number };
}

export interface FakeSubscriber extends LoopbackServer {
  /** Puts a message on a subscription (as Pub/Sub's dead-lettering would). */
  add(subscription: string, message: StoredMessage): void;
  /** Messages still on a subscription (acknowledged ones are gone). */
  messages(subscription: string): StoredMessage[];
  /** Messages currently leased to a puller (pulled, not acknowledged, not released). */
  leased(subscription: string): number;
  calls: Array<{ method: string; subscription: string }>;
  /** The next call of `method` fails with PERMISSION_DENIED (not retried by the client). */
  failNext(method: 'pull' | 'acknowledge' | 'modifyAckDeadline'): void;
  /** Pulls answered so far that asked to return at once when nothing is ready (returnImmediately). */
  immediatePulls: number;
  client(): v1.SubscriberClient;
}

export interface FakeSubscriberOptions {
  /** Time each Pull takes before it answers (a round trip to Pub/Sub). */
  pullLatencyMs?: number;
  /**
   * How long a Pull on a subscription with nothing ready waits for messages unless it asked to return
   * at once, as Pub/Sub's does (it holds a synchronous pull open for a while; default 0).
   */
  longPollMs?: number;
}

/**
 * google.pubsub.v1.Subscriber's synchronous Pull, Acknowledge and ModifyAckDeadline on a loopback
 * server: a pulled message is leased for the subscription's ack deadline (60 s) and not handed out
 * again until acknowledged (gone) or released (ack deadline 0). Unknown subscriptions are NOT_FOUND.
 */
export async function startFakeSubscriber(
  subscriptions: string[],
  options: FakeSubscriberOptions = {},
): Promise<FakeSubscriber> {
  const store = new Map<string, Held[]>(subscriptions.map((s) => [s, []]));
  const calls: FakeSubscriber['calls'] = [];
  const failing = new Set<string>();
  let nextAck = 1;
  const heldOn = (name: string) => {
    const held = store.get(name);
    if (!held) throw grpcError(grpc.status.NOT_FOUND, `Resource not found (resource=${name}).`);
    return held;
  };
  type Req = {
    subscription: string;
    maxMessages?: number;
    ackIds?: string[];
    ackDeadlineSeconds?: number;
    returnImmediately?: boolean;
  };
  const stats = { immediatePulls: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn();
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const handler =
    (method: string, fn: (req: Req) => unknown, delayMs: (req: Req) => number = () => 0) =>
    (call: ServerUnaryCall<Req, unknown>, callback: sendUnaryData<unknown>) => {
      calls.push({ method, subscription: call.request.subscription });
      if (failing.delete(method)) {
        callback(grpcError(grpc.status.PERMISSION_DENIED, `${method} is not allowed (test)`));
        return;
      }
      later(delayMs(call.request), () => {
        if (call.cancelled) return;
        try {
          callback(null, fn(call.request));
        } catch (err) {
          callback(err as grpc.ServiceError);
        }
      });
    };
  const ready = (req: Req) => {
    const now = Date.now();
    return (store.get(req.subscription) ?? []).filter((h) => !h.lease || h.lease.until <= now);
  };
  const server = await startLoopbackGrpc(
    packageProtos('@google-cloud/pubsub'),
    'google/pubsub/v1/pubsub.proto',
    'google.pubsub.v1.Subscriber',
    {
      Pull: handler(
        'pull',
        (req) => {
          if (req.returnImmediately) stats.immediatePulls += 1;
          const now = Date.now();
          const free = heldOn(req.subscription).filter((h) => !h.lease || h.lease.until <= now);
          const taken = free.slice(0, req.maxMessages || 1);
          return {
            receivedMessages: taken.map((h) => {
              h.lease = { ackId: `ack-${nextAck++}`, until: now + 60_000 };
              const seconds = Math.floor(h.message.publishTime.getTime() / 1000);
              return {
                ackId: h.lease.ackId,
                message: {
                  data: h.message.data,
                  attributes: h.message.attributes,
                  messageId: h.message.messageId,
                  orderingKey: h.message.orderingKey ?? '',
                  publishTime: {
                    seconds: String(seconds),
                    nanos: (h.message.publishTime.getTime() % 1000) * 1e6,
                  },
                },
              };
            }),
          };
        },
        (req) =>
          (options.pullLatencyMs ?? 0) +
          (req.returnImmediately || ready(req).length > 0 ? 0 : (options.longPollMs ?? 0)),
      ),
      Acknowledge: handler('acknowledge', (req) => {
        const held = heldOn(req.subscription);
        for (const ackId of req.ackIds ?? []) {
          const i = held.findIndex((h) => h.lease?.ackId === ackId);
          if (i >= 0) held.splice(i, 1);
        }
        return {};
      }),
      ModifyAckDeadline: handler('modifyAckDeadline', (req) => {
        for (const h of heldOn(req.subscription)) {
          if (h.lease && req.ackIds?.includes(h.lease.ackId)) {
            if (req.ackDeadlineSeconds === 0) delete h.lease;
            else h.lease.until = Date.now() + (req.ackDeadlineSeconds ?? 0) * 1000;
          }
        }
        return {};
      }),
    },
  );
  return {
    ...server,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      await server.stop();
    },
    get immediatePulls() {
      return stats.immediatePulls;
    },
    calls,
    failNext: (method) => failing.add(method),
    add: (subscription, message) => heldOn(subscription).push({ message }),
    messages: (subscription) => heldOn(subscription).map((h) => h.message),
    leased: (subscription) => heldOn(subscription).filter((h) => h.lease).length,
    client: () =>
      new v1.SubscriberClient({
        apiEndpoint: '127.0.0.1',
        port: server.port,
        sslCreds: grpc.credentials.createInsecure(),
        projectId: 'demo-bridge',
        universeDomain: 'googleapis.com',
      }),
  };
}
