import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/index.ts';
import { createPushHandler, parsePushRequest } from '../../shared/http/pubsub-push.ts';
import type { HttpRequest } from '../../shared/http/types.ts';
import { createLogger } from '../../shared/logging/index.ts';
import type { BusMessage } from '../../shared/ports/index.ts';

const PROJECT = 'demo-bridge';
/** As deployed with BRIDGE_TOPIC_PREFIX=stg- (terraform/pubsub.tf names them from terraform/topology.json). */
const PREFIX = 'stg-';
const TOPIC = `${PREFIX}github-events`;
const SUBSCRIPTION = `projects/${PROJECT}/subscriptions/${TOPIC}-push`;
const ROUTE = { consumer: 'sync-worker', topicPrefix: PREFIX } as const;
const PUBLISH_TIME = '2030-01-02T03:04:05.678Z';

/** A Pub/Sub message as the push envelope carries it (https://cloud.google.com/pubsub/docs/push). */
const pushMessage = (over: Record<string, unknown> = {}) => ({
  data: Buffer.from(JSON.stringify({ deliveryId: 'd-1', event: 'push' })).toString('base64'),
  attributes: { event: 'push', deliveryId: 'd-1' },
  messageId: '1234567890',
  message_id: '1234567890',
  publishTime: PUBLISH_TIME,
  publish_time: PUBLISH_TIME,
  orderingKey: 'link-7',
  ...over,
});
const rawEnvelope = (
  message: Record<string, unknown> = pushMessage(),
  extra: Record<string, unknown> = {},
) => ({
  message,
  subscription: SUBSCRIPTION,
  deliveryAttempt: 3,
  ...extra,
});
/** Eventarc's binary mode: ce-* headers, the body is {message, subscription}. */
const binaryEvent = (message = pushMessage()) => ({
  headers: {
    'content-type': 'application/json',
    'ce-specversion': '1.0',
    'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
    'ce-source': `//pubsub.googleapis.com/projects/${PROJECT}/topics/${TOPIC}`,
    'ce-id': String(message.messageId ?? 'ce-id-1'),
    'ce-time': PUBLISH_TIME,
  },
  body: { message, subscription: `projects/${PROJECT}/subscriptions/eventarc-trigger-sub-1` },
});
const structuredEvent = (message = pushMessage()) => ({
  specversion: '1.0',
  type: 'google.cloud.pubsub.topic.v1.messagePublished',
  source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/${TOPIC}`,
  id: String(message.messageId),
  time: PUBLISH_TIME,
  datacontenttype: 'application/json',
  data: { message, subscription: `projects/${PROJECT}/subscriptions/eventarc-trigger-sub-1` },
});

function request(body: unknown, headers: Record<string, string> = {}, method = 'POST'): HttpRequest {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method,
    path: '/',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json', ...headers },
    body: async (limit) => {
      if (bytes.length > limit) throw new AppError('payload_too_large', 'too large');
      return bytes;
    },
  };
}

const quietLogger = () => createLogger({ write: () => {} });

function recordingHandler(outcome: () => Promise<void> = async () => {}) {
  const received: BusMessage[] = [];
  const handler = createPushHandler(
    async (m) => {
      received.push(m);
      await outcome();
    },
    quietLogger(),
    ROUTE,
  );
  return { handler, received };
}

/** The topic by its topology name; the subscription's max delivery attempts come with it. */
const expected: BusMessage = {
  id: '1234567890',
  topic: 'github-events',
  data: { deliveryId: 'd-1', event: 'push' },
  attributes: { event: 'push', deliveryId: 'd-1' },
  orderingKey: 'link-7',
  publishTime: PUBLISH_TIME,
  deliveryAttempt: 3,
  maxDeliveryAttempts: 10,
};
/** Eventarc's own subscriptions are not the topology's: the topic comes from ce-source, attempts are unknown. */
const { maxDeliveryAttempts: _unknown, ...fromEventarc } = expected;

describe('parsePushRequest', () => {
  it.each([
    ['the raw push envelope', () => request(rawEnvelope()), expected],
    [
      'a binary-mode CloudEvent',
      () => request(binaryEvent().body, binaryEvent().headers),
      { ...fromEventarc, deliveryAttempt: 1, deliveryAttemptKnown: false },
    ],
    [
      'a structured-mode CloudEvent',
      () => request(structuredEvent(), { 'content-type': 'application/cloudevents+json; charset=utf-8' }),
      { ...fromEventarc, deliveryAttempt: 1, deliveryAttemptKnown: false },
    ],
  ])('reads %s', async (_label, build, want) => {
    expect(await parsePushRequest(build(), ROUTE)).toEqual(want);
  });

  // The emulator's pushes, like Eventarc's, say nothing of the attempt: the handler must count.
  it('reads snake_case-only fields, and a message with attributes but no data or deliveryAttempt', async () => {
    const message = { attributes: { kind: 'ping' }, message_id: '42', publish_time: PUBLISH_TIME };
    expect(
      await parsePushRequest(request(rawEnvelope(message, { deliveryAttempt: undefined })), ROUTE),
    ).toEqual({
      id: '42',
      topic: 'github-events',
      data: null,
      attributes: { kind: 'ping' },
      publishTime: PUBLISH_TIME,
      deliveryAttempt: 1,
      deliveryAttemptKnown: false,
      maxDeliveryAttempts: 10,
    });
  });
});

describe('the push handler learns its topic from the topology, never from a name it guesses', () => {
  const subscription = (name: string) => `projects/${PROJECT}/subscriptions/${name}`;
  it.each([
    ['a renamed subscription', subscription(`${PREFIX}github-events-push-v2`)],
    ['a subscription without the deployment prefix', subscription('github-events-push')],
    ['a subscription that delivers to another function', subscription(`${PREFIX}scheduler-jobs-push`)],
    ['a subscription nobody declared', subscription('manual-sub')],
  ])(
    'does not acknowledge %s: it answers 500 config_invalid, so Pub/Sub redelivers and then dead-letters',
    async (_label, name) => {
      const { handler, received } = recordingHandler();
      const response = await handler(request(rawEnvelope(pushMessage(), { subscription: name })));
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({
        error: { code: 'config_invalid', message: expect.stringContaining('shared/topology') },
      });
      expect(received).toEqual([]);
    },
  );

  it('does not acknowledge a CloudEvent from a topic this function does not consume', async () => {
    const { handler, received } = recordingHandler();
    const event = binaryEvent();
    const headers = {
      ...event.headers,
      'ce-source': `//pubsub.googleapis.com/projects/${PROJECT}/topics/${PREFIX}scheduler-jobs`,
    };
    const response = await handler(request(event.body, headers));
    expect(response.status).toBe(500);
    expect(received).toEqual([]);
  });

  it('refuses a subscription whose topic disagrees with the CloudEvent source', async () => {
    const { handler, received } = recordingHandler();
    const event = binaryEvent();
    const body = { ...event.body, subscription: subscription(`${PREFIX}sync-requests-push`) };
    expect((await handler(request(body, event.headers))).status).toBe(500);
    expect(received).toEqual([]);
  });
});

describe('createPushHandler', () => {
  it('acks (204) once the handler resolved, passing it the message', async () => {
    const { handler, received } = recordingHandler();
    const response = await handler(request(rawEnvelope()));
    expect(response.status).toBe(204);
    expect(received).toEqual([expected]);
  });

  const b64 = (text: string) => Buffer.from(text).toString('base64');
  it.each([
    ['a body that is not JSON', () => request('{"message": ')],
    ['a JSON array', () => request([])],
    ['no message', () => request({ subscription: SUBSCRIPTION })],
    [
      'no messageId',
      () => request(rawEnvelope(pushMessage({ messageId: undefined, message_id: undefined }))),
    ],
    ['data that is not base64', () => request(rawEnvelope(pushMessage({ data: '%%%not base64' })))],
    ['data that is not JSON', () => request(rawEnvelope(pushMessage({ data: b64('{truncated') })))],
    [
      'data that is invalid UTF-8',
      () => request(rawEnvelope(pushMessage({ data: Buffer.from([0xff, 0xfe]).toString('base64') }))),
    ],
    ['an attribute that is not a string', () => request(rawEnvelope(pushMessage({ attributes: { n: 1 } })))],
    ['no subscription and no source', () => request(rawEnvelope(pushMessage(), { subscription: undefined }))],
    [
      'another CloudEvent type',
      () =>
        request(binaryEvent().body, {
          ...binaryEvent().headers,
          'ce-type': 'google.cloud.storage.object.v1.finalized',
        }),
    ],
  ])('answers 400 bad_request for %s, without calling the handler', async (_label, build) => {
    const { handler, received } = recordingHandler();
    const response = await handler(build());
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'bad_request' } });
    expect(received).toEqual([]);
  });

  it.each([
    ['an AppError', new AppError('unavailable', 'GitHub is down'), 503, 'unavailable'],
    ['a precondition AppError', new AppError('precondition_failed', 'moved'), 412, 'precondition_failed'],
    ['an unknown error (its text not shown)', new Error('secret detail ghp_abc'), 500, 'internal'],
  ])('nacks with the status of %s so Pub/Sub redelivers', async (_label, error, status, code) => {
    const { handler } = recordingHandler(async () => {
      throw error;
    });
    const response = await handler(request(rawEnvelope()));
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ error: { code } });
    expect(JSON.stringify(response.body)).not.toContain('ghp_abc');
  });

  it('answers 405 to anything but POST', async () => {
    const { handler, received } = recordingHandler();
    expect((await handler(request(rawEnvelope(), {}, 'GET'))).status).toBe(405);
    expect(received).toEqual([]);
  });
});
