import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../shared/logging/index.ts';
import type { EventPublisher } from '../../shared/ports/index.ts';
import { TOPICS } from '../../shared/ports/index.ts';
import { createScheduler, startLocalSchedule } from '../../shared/scheduler/index.ts';
import { type Harness, startHarness } from './support/scheduler-harness.ts';

const MIN = 60_000;

function capturingPublisher() {
  const jobs: string[] = [];
  const publisher: EventPublisher = {
    publish: async (topic, data, options) => {
      expect(topic).toBe(TOPICS.schedulerJobs);
      expect(options?.attributes?.job).toBe((data as { job: string }).job);
      jobs.push((data as { job: string }).job);
      return String(jobs.length);
    },
    close: async () => {},
  };
  return { jobs, publisher };
}

describe('startLocalSchedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes the five jobs on their intervals, renew-channels shortly after start, until stopped', async () => {
    vi.useFakeTimers();
    const { jobs, publisher } = capturingPublisher();
    const stop = startLocalSchedule({ publisher, logger: createLogger({ write: () => {} }) });

    await vi.advanceTimersByTimeAsync(5_000);
    expect(jobs).toEqual(['renew-channels']);
    await vi.advanceTimersByTimeAsync(15 * MIN - 5_000);
    expect(jobs.filter((j) => j !== 'health')).toEqual([
      'renew-channels',
      'drive-changes',
      'drive-changes',
      'reconcile',
      'drive-changes',
    ]);
    expect(jobs.filter((j) => j === 'health')).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(45 * MIN);
    expect(jobs.filter((j) => j === 'reconcile')).toHaveLength(4);
    expect(jobs.filter((j) => j === 'renew-channels')).toHaveLength(2);
    expect(jobs.filter((j) => j === 'recover-deliveries')).toHaveLength(1);
    expect(jobs.filter((j) => j === 'drive-changes')).toHaveLength(12);
    expect(jobs.filter((j) => j === 'health')).toHaveLength(12);

    stop();
    const count = jobs.length;
    await vi.advanceTimersByTimeAsync(5 * 60 * MIN);
    expect(jobs).toHaveLength(count);
  });

  it('takes custom intervals and survives a failing publish', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    let calls = 0;
    const publisher: EventPublisher = {
      publish: async () => {
        calls += 1;
        throw new Error('bus closed');
      },
      close: async () => {},
    };
    const stop = startLocalSchedule(
      { publisher, logger: createLogger({ write: (l) => lines.push(l) }) },
      { reconcileMs: 1_000, renewChannelsMs: 10_000, recoverDeliveriesMs: 10_000, firstRenewalMs: 10 },
    );
    await vi.advanceTimersByTimeAsync(3_000);
    stop();
    expect(calls).toBe(4);
    expect(lines.filter((l) => l.includes('could not publish a scheduler job'))).toHaveLength(4);
  });
});

describe('the scheduler on the embedded bus', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('handles a job message the bus delivers and acknowledges it', async () => {
    h = await startHarness();
    const link = await h.addLink();
    const bus = h.ctx.bus;
    if (!bus) throw new Error('the local backend has a bus');
    const scheduler = createScheduler(h.ctx);
    bus.subscribe(TOPICS.schedulerJobs, scheduler);
    bus.subscribe(TOPICS.secretRotation, scheduler);
    bus.start();

    await h.ctx.publisher.publish(
      TOPICS.schedulerJobs,
      { job: 'reconcile' },
      { attributes: { job: 'reconcile' } },
    );
    await bus.idle();

    expect(h.publishedOn(TOPICS.syncRequests).map((p) => (p.data as { linkId: string }).linkId)).toEqual([
      link.id,
    ]);
    expect(await bus.stats()).toMatchObject({ inFlight: 0, dead: 0 });
  });
});
