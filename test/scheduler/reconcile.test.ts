import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../shared/ports/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { createScheduler } from '../../shared/scheduler/index.ts';
import { queueSync, type SyncRequest } from '../../shared/sync/queue-sync.ts';
import { type Harness, startHarness } from './support/scheduler-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const syncsQueued = (harness: Harness) =>
  harness.publishedOn(TOPICS.syncRequests).map((p) => p.data as SyncRequest);

describe('reconcile job', () => {
  it('queues one schedule sync per link that is not paused', async () => {
    h = await startHarness();
    const a = await h.addLink();
    const b = await h.addLink({ design: 'file:///tmp/design.json', repo: 'file:///tmp/repo.git' });
    await h.addLink({ status: 'paused' });
    const c = await h.addLink({ status: 'error' });
    const scheduler = createScheduler(h.ctx);

    await scheduler(h.message(TOPICS.schedulerJobs, { job: 'reconcile' }));

    const queued = syncsQueued(h);
    expect(queued.map((r) => r.linkId).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(new Set(queued.map((r) => r.trigger))).toEqual(new Set(['schedule']));
    for (const request of queued) {
      const op = await h.ctx.state.get(COLLECTIONS.operations, request.operationId);
      expect(op?.data).toMatchObject({ linkId: request.linkId, trigger: 'schedule', status: 'queued' });
    }
    expect(h.publishedOn(TOPICS.syncRequests)[0]?.options?.orderingKey).toBe(queued[0]?.linkId);
  });

  it('queues nothing more when the same job message is delivered again', async () => {
    h = await startHarness();
    await h.addLink();
    await h.addLink();
    const scheduler = createScheduler(h.ctx);
    const message = h.message(TOPICS.schedulerJobs, { job: 'reconcile' });

    await scheduler(message);
    await scheduler({ ...message, deliveryAttempt: 2 });
    expect(syncsQueued(h)).toHaveLength(2);

    // The next scheduled run (a new message) reconciles again, once the queued syncs have started.
    for (const r of syncsQueued(h)) {
      const op = await h.ctx.state.get<Record<string, unknown>>(COLLECTIONS.operations, r.operationId);
      await h.ctx.state.set(COLLECTIONS.operations, r.operationId, { ...op?.data, status: 'running' });
    }
    await scheduler(h.message(TOPICS.schedulerJobs, { job: 'reconcile' }));
    expect(syncsQueued(h)).toHaveLength(4);
  });

  it('queues nothing behind a sync that is queued and not started, unless that one is over an hour old', async () => {
    h = await startHarness();
    const link = await h.addLink();
    const scheduler = createScheduler(h.ctx);
    const run = async () => {
      const before = syncsQueued(h!).length;
      await scheduler(h!.message(TOPICS.schedulerJobs, { job: 'reconcile' }));
      return syncsQueued(h!).length - before;
    };

    expect(await run()).toBe(1);
    h.clock.advance(15 * 60 * 1000);
    expect(await run()).toBe(0); // the first is still waiting: it will read both sides when it runs
    expect(h.lines.some((l) => l.includes('"pending":1'))).toBe(true);
    h.clock.advance(46 * 60 * 1000);
    expect(await run()).toBe(1); // stuck for over an hour: queue another
    expect(syncsQueued(h).every((r) => r.linkId === link.id)).toBe(true);
  });

  it('a queued dry run or one-way sync does not stand for a real sync', async () => {
    h = await startHarness();
    const link = await h.addLink();
    const scheduler = createScheduler(h.ctx);
    for (const options of [{ dryRun: true }, { direction: 'design-to-definitions' as const }]) {
      await queueSync(h.ctx, link, { trigger: 'api', ...options });
      const before = syncsQueued(h).length;
      await scheduler(h.message(TOPICS.schedulerJobs, { job: 'reconcile' }));
      expect(syncsQueued(h).slice(before)).toEqual([
        expect.objectContaining({ linkId: link.id, trigger: 'schedule', dryRun: false, direction: 'both' }),
      ]);
      h.clock.advance(1000);
    }
  });

  it('after a partial failure, the redelivery queues only the links that were missed', async () => {
    h = await startHarness();
    const links = [await h.addLink(), await h.addLink(), await h.addLink()];
    const scheduler = createScheduler(h.ctx);
    const publish = h.ctx.publisher.publish;
    let calls = 0;
    h.ctx.publisher.publish = async (topic, data, options) => {
      calls += 1;
      if (calls === 2) throw new Error('bus unavailable (test)');
      return publish(topic, data, options);
    };
    const message = h.message(TOPICS.schedulerJobs, { job: 'reconcile' });

    await expect(scheduler(message)).rejects.toMatchObject({ code: 'unavailable' });
    expect(syncsQueued(h)).toHaveLength(2);
    await scheduler({ ...message, deliveryAttempt: 2 });
    await scheduler({ ...message, deliveryAttempt: 3 });

    expect(
      syncsQueued(h)
        .map((r) => r.linkId)
        .sort(),
    ).toEqual(links.map((l) => l.id).sort());
  });

  it('stops at the per-run limit', async () => {
    h = await startHarness();
    for (let i = 0; i < 4; i += 1) await h.addLink();
    const scheduler = createScheduler(h.ctx, { reconcile: { maxLinks: 3 } });
    await scheduler(h.message(TOPICS.schedulerJobs, { job: 'reconcile' }));
    expect(syncsQueued(h)).toHaveLength(3);
  });

  it('takes the job from the attribute and dead-letters an unknown job', async () => {
    h = await startHarness();
    await h.addLink();
    const scheduler = createScheduler(h.ctx);
    await scheduler(h.message(TOPICS.schedulerJobs, 'not json', { job: 'reconcile' }));
    expect(syncsQueued(h)).toHaveLength(1);
    await expect(scheduler(h.message(TOPICS.schedulerJobs, { job: 'format-disk' }))).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('refuses (does not acknowledge) a message on a topic it does not consume, prefixed names included', async () => {
    // The push handler strips BRIDGE_TOPIC_PREFIX through shared/topology; a name that reaches the
    // scheduler unresolved was misrouted and must be redelivered, not dropped.
    h = await startHarness({ BRIDGE_TOPIC_PREFIX: 'staging-' });
    await h.addLink();
    const scheduler = createScheduler(h.ctx);
    for (const topic of [`staging-${TOPICS.schedulerJobs}`, TOPICS.syncRequests, 'scheduler-jobs-v2']) {
      await expect(scheduler(h.message(topic, { job: 'reconcile' })), topic).rejects.toMatchObject({
        code: 'config_invalid',
      });
    }
    expect(syncsQueued(h)).toHaveLength(0);
  });
});
