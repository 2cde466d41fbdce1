import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPushHandler } from '../../shared/http/pubsub-push.ts';
import type { HttpRequest } from '../../shared/http/types.ts';
import type { Operation } from '../../shared/records/index.ts';
import { createSyncWorker } from '../../shared/sync/worker.ts';
import { subscriptionOfTopic, TOPICS } from '../../shared/topology/index.ts';
import { component, startLoopbackBridge } from './support.ts';

/*
 * Real Pub/Sub says which attempt a push is (`deliveryAttempt`, on subscriptions with a dead-letter
 * policy); the Pub/Sub emulator never does, and neither does an Eventarc CloudEvent. The sync worker
 * must still know the last attempt, so the operation says it gave up before the message goes to the
 * dead letters, instead of staying `queued` for ever.
 */
const FILE_ID = 'design-attempts';
const SUBSCRIPTION = subscriptionOfTopic(TOPICS.syncRequests);

describe('a push without deliveryAttempt', () => {
  let world: Awaited<ReturnType<typeof startLoopbackBridge>>;
  beforeEach(async () => {
    world = await startLoopbackBridge({
      githubToken: 'ghp_attemptstoken00000000000000000000',
      googleToken: 'ya29.attempts',
      fileId: FILE_ID,
    });
  });
  afterEach(async () => {
    await world.close();
  });

  const push = (data: unknown): HttpRequest => {
    const body = Buffer.from(
      JSON.stringify({
        message: {
          data: Buffer.from(JSON.stringify(data)).toString('base64'),
          attributes: {},
          messageId: 'emulator-message-1',
          publishTime: new Date().toISOString(),
        },
        subscription: `projects/demo/subscriptions/${SUBSCRIPTION.name}`,
      }),
    );
    return {
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/json' },
      body: async () => body,
    };
  };

  it('is counted by the operation: the last of max_delivery_attempts fails the run with gaveUp', async () => {
    const { bridge, drive, github } = world;
    const created = await bridge.api<{ id: string }>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: `https://drive.google.com/file/d/${FILE_ID}`,
      policy: { writes: 'direct' },
    });
    await bridge.idle();
    const design = JSON.parse(drive.file(FILE_ID)?.content ?? '{}');
    component(design, 'core').version = '9.9.9';
    drive.setContent(FILE_ID, JSON.stringify(design));
    // The branch never moves where the bridge expects: a retryable conflict on every attempt.
    github.injectFault({
      method: 'PATCH',
      path: '/git/refs/',
      status: 422,
      body: { message: 'Reference cannot be updated' },
      times: Number.POSITIVE_INFINITY,
    });
    const handler = createPushHandler(createSyncWorker(bridge.ctx), bridge.ctx.logger, {
      consumer: 'sync-worker',
      topicPrefix: '',
    });
    const operationId = 'op_pushattempts00000001';
    const request = {
      linkId: created.body.id,
      operationId,
      trigger: 'api',
      direction: 'both',
      dryRun: false,
    };
    const operation = async () =>
      (await bridge.api<Operation>('GET', `/api/v1/operations/${operationId}`)).body;

    for (let attempt = 1; attempt < SUBSCRIPTION.maxDeliveryAttempts; attempt++) {
      expect((await handler(push(request))).status).toBe(409);
      expect(await operation()).toMatchObject({ status: 'queued' });
    }
    // The last push: still not acknowledged (it goes to the dead letters), and the run says it gave up.
    expect((await handler(push(request))).status).toBe(409);
    const op = await operation();
    expect(op).toMatchObject({ status: 'failed', gaveUp: true, error: { code: 'conflict' } });
    expect(op.attempts.map((a) => a.attempt)).toEqual(
      Array.from({ length: SUBSCRIPTION.maxDeliveryAttempts }, (_, i) => i + 1),
    );
  });
});
