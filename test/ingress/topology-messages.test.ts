import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveChannel } from '../../shared/ingress/index.ts';
import type { PublishOptions } from '../../shared/ports/index.ts';
import { startLocalSchedule } from '../../shared/scheduler/local-schedule.ts';
import { queueSync } from '../../shared/sync/queue-sync.ts';
import { TOPIC_SPECS, TOPICS, type TopicName } from '../../shared/topology/index.ts';
import { type Bridge, startBridge } from './support/bridge-harness.ts';
import { driveChannel, notificationHeaders } from './support/drive-notification.ts';
import { webhookDelivery } from './support/webhook-delivery.ts';

/** What a message's attributes break of its topic's declaration in shared/topology. */
function attributeProblems(topic: TopicName, options: PublishOptions | undefined): string[] {
  const declared = TOPIC_SPECS[topic].attributes;
  const names = Object.keys(options?.attributes ?? {});
  const known = declared.map((a) => a.replace(/\?$/, ''));
  return [
    ...declared.filter((a) => !a.endsWith('?') && !names.includes(a)).map((a) => `${topic}: no ${a}`),
    ...names.filter((n) => !known.includes(n)).map((n) => `${topic}: ${n} is not declared`),
  ];
}

describe('messages carry the attributes and ordering key shared/topology declares for their topic', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    bridge = await startBridge();
  });
  afterAll(() => bridge?.close());
  const last = (topic: TopicName) => bridge.publishedOn(topic).at(-1);

  it('github-events: the delivery’s facts, ordered by repository', async () => {
    const payload = { ref: 'refs/heads/main', repository: { full_name: 'acme/platform' }, commits: [] };
    expect((await bridge.post('/github/webhook', webhookDelivery({ event: 'push', payload }))).status).toBe(
      202,
    );
    const message = last(TOPICS.githubEvents);
    expect(attributeProblems(TOPICS.githubEvents, message?.options)).toEqual([]);
    expect(message?.options?.orderingKey).toBe('acme/platform');
  });

  it('drive-changes: the channel’s facts, ordered by link', async () => {
    const { id, ...doc } = driveChannel();
    await saveChannel(bridge.ctx.state, id, doc);
    const res = await bridge.post('/drive/notifications', {
      headers: notificationHeaders({ id, ...doc }, 2),
    });
    expect(res.status).toBe(200);
    const message = last(TOPICS.driveChanges);
    expect(attributeProblems(TOPICS.driveChanges, message?.options)).toEqual([]);
    expect(message?.options?.orderingKey).toBe(doc.linkId);
  });

  it('sync-requests: the operation, ordered by link', async () => {
    await queueSync(bridge.ctx, { id: 'lnk_topology', tenant: 'default' }, { trigger: 'api' });
    const message = last(TOPICS.syncRequests);
    expect(attributeProblems(TOPICS.syncRequests, message?.options)).toEqual([]);
    expect(message?.options?.orderingKey).toBe('lnk_topology');
  });

  it('scheduler-jobs: the job, unordered (as Cloud Scheduler publishes it)', async () => {
    const published = new Promise<void>((resolve) => {
      const real = bridge.ctx.publisher.publish.bind(bridge.ctx.publisher);
      bridge.ctx.publisher.publish = async (topic, data, options) => {
        const id = await real(topic, data, options);
        if (topic === TOPICS.schedulerJobs) resolve();
        return id;
      };
    });
    const stop = startLocalSchedule(bridge.ctx, { firstRenewalMs: 0 });
    await published;
    stop();
    const message = last(TOPICS.schedulerJobs);
    expect(attributeProblems(TOPICS.schedulerJobs, message?.options)).toEqual([]);
    expect(message?.options?.orderingKey).toBeUndefined();
    expect(TOPIC_SPECS[TOPICS.schedulerJobs].orderingKey).toBeUndefined();
  });
});
