import { AppError, toAppError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { BusMessage, MessageHandler } from '../ports/index.ts';
import { type PushRoute, resolvePushTopic } from './push-route.ts';
import { errorResponse, json, methodNotAllowed } from './responses.ts';
import type { HttpHandler, HttpRequest } from './types.ts';

export type { PushRoute } from './push-route.ts';

/** Pub/Sub messages are at most 10 MB; base64 in a JSON envelope makes that about 13.4 MB. */
const MAX_ENVELOPE_BYTES = 14 * 1024 * 1024;
const MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';

interface PushMessage {
  data?: unknown;
  attributes?: unknown;
  messageId?: unknown;
  message_id?: unknown;
  publishTime?: unknown;
  publish_time?: unknown;
  orderingKey?: unknown;
}
interface PushBody {
  message?: PushMessage;
  subscription?: unknown;
  deliveryAttempt?: unknown;
}

/**
 * Reads one Pub/Sub push delivery, in any of the shapes Pub/Sub and Eventarc send:
 *  - the push envelope `{message: {data, attributes, messageId, publishTime, orderingKey}, subscription,
 *    deliveryAttempt}` (https://cloud.google.com/pubsub/docs/push#receive_push);
 *  - the CloudEvent `google.cloud.pubsub.topic.v1.messagePublished`, binary mode (ce-* headers, the
 *    body is `{message, subscription}`) or structured mode (`application/cloudevents+json`, the body
 *    is the event with that object in `data`).
 * The topic is the topology's (see resolvePushTopic): a subscription or source topic it does not route
 * to `route.consumer` is AppError `config_invalid`. Anything malformed is AppError `bad_request`.
 */
export async function parsePushRequest(req: HttpRequest, route: PushRoute): Promise<BusMessage> {
  const body = parseJson((await req.body(MAX_ENVELOPE_BYTES)).toString('utf8'), 'push body');
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();

  let envelope: PushBody;
  let source: string | undefined;
  let eventId: string | undefined;
  let eventTime: string | undefined;
  if (contentType.startsWith('application/cloudevents+json')) {
    const event = asObject(body, 'CloudEvent');
    checkType(event.type);
    envelope = asObject(event.data, 'CloudEvent data') as PushBody;
    source = optionalString(event.source);
    eventId = optionalString(event.id);
    eventTime = optionalString(event.time);
  } else {
    envelope = asObject(body, 'push envelope') as PushBody;
    if (req.headers['ce-type'] !== undefined) {
      checkType(req.headers['ce-type']);
      source = req.headers['ce-source'];
      eventId = req.headers['ce-id'];
      eventTime = req.headers['ce-time'];
    }
  }

  const message = asObject(envelope.message, 'message') as PushMessage;
  const resolved = resolvePushTopic(route, optionalString(envelope.subscription), source);
  const id = optionalString(message.messageId) ?? optionalString(message.message_id) ?? eventId;
  if (!id) throw new AppError('bad_request', 'Push message has no messageId');
  const publishTime =
    optionalString(message.publishTime) ??
    optionalString(message.publish_time) ??
    eventTime ??
    new Date().toISOString();
  const attempt = Number(envelope.deliveryAttempt ?? Number.NaN);
  const attemptKnown = Number.isInteger(attempt) && attempt >= 1;

  const parsed: BusMessage = {
    id,
    topic: resolved.topic,
    data: decodeData(message.data),
    attributes: attributesOf(message.attributes),
    publishTime,
    deliveryAttempt: attemptKnown ? attempt : 1,
  };
  if (!attemptKnown) parsed.deliveryAttemptKnown = false;
  const orderingKey = optionalString(message.orderingKey);
  if (orderingKey) parsed.orderingKey = orderingKey;
  // Known for the topology's own subscriptions (its dead-letter policy), not for Eventarc's.
  if (resolved.subscription) parsed.maxDeliveryAttempts = resolved.subscription.maxDeliveryAttempts;
  return parsed;
}

/**
 * Serves a push subscription: 2xx only once `handler` resolved (Pub/Sub then acks the message).
 * Any other answer makes Pub/Sub redeliver with the subscription's backoff, and after
 * `max_delivery_attempts` move the message to the dead-letter topic. That includes 400 for an
 * envelope that can never parse: it is not dropped, it ends in the dead-letter topic where it can be
 * inspected (and replayed once fixed). Handler failures answer their AppError status, others 500.
 */
export function createPushHandler(handler: MessageHandler, logger: Logger, route: PushRoute): HttpHandler {
  return async (req) => {
    if (req.method !== 'POST') return methodNotAllowed(['POST']);
    let message: BusMessage;
    try {
      message = await parsePushRequest(req, route);
    } catch (err) {
      const appError = toAppError(err);
      logger.warn('push delivery refused; it will be redelivered, then dead-lettered', {
        code: appError.code,
        reason: appError.message,
      });
      return errorResponse(appError);
    }
    try {
      await handler(message);
      return json(204, undefined);
    } catch (err) {
      logger.warn('push delivery failed; Pub/Sub will redeliver', {
        messageId: message.id,
        topic: message.topic,
        attempt: message.deliveryAttempt,
        error: err,
      });
      return errorResponse(err);
    }
  };
}

function checkType(type: unknown): void {
  if (type !== MESSAGE_PUBLISHED) {
    throw new AppError('bad_request', `Unsupported CloudEvent type; expected ${MESSAGE_PUBLISHED}`);
  }
}

function decodeData(data: unknown): unknown {
  if (data === undefined || data === null || data === '') return null;
  if (typeof data !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) {
    throw new AppError('bad_request', 'Push message data is not base64');
  }
  return parseJson(Buffer.from(data, 'base64').toString('utf8'), 'message data');
}

function attributesOf(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  const attributes = asObject(value, 'message attributes');
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(attributes)) {
    if (typeof v !== 'string') throw new AppError('bad_request', 'Push message attributes must be strings');
    out[key] = v;
  }
  return out;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', `The ${what} is not valid JSON`);
  }
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('bad_request', `The ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
