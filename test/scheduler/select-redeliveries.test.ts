import { describe, expect, it } from 'vitest';
import { type HookDelivery, selectRedeliveries } from '../../shared/scheduler/select-redeliveries.ts';

const NOW = new Date('2025-03-01T12:00:00Z');
const HOUR = 3_600_000;
let id = 0;
const attempt = (guid: string, hoursAgo: number, status_code: number): HookDelivery => {
  id += 1;
  return {
    id,
    guid,
    delivered_at: new Date(NOW.getTime() - hoursAgo * HOUR).toISOString(),
    redelivery: false,
    status_code,
    event: 'push',
  };
};

describe('selectRedeliveries', () => {
  it.each([
    { name: 'one failed attempt', attempts: [attempt('g', 1, 500)], failed: ['g'] },
    { name: 'connection failure (status 0)', attempts: [attempt('g', 1, 0)], failed: ['g'] },
    { name: 'one success', attempts: [attempt('g', 1, 200)], failed: [] },
    { name: '202 counts as success', attempts: [attempt('g', 1, 202)], failed: [] },
    { name: 'a redirect is not a success', attempts: [attempt('g', 1, 302)], failed: ['g'] },
    {
      name: 'failed then redelivered OK',
      attempts: [attempt('g', 5, 502), attempt('g', 1, 200)],
      failed: [],
    },
    {
      name: 'OK then a failed redelivery',
      attempts: [attempt('g', 5, 200), attempt('g', 1, 500)],
      failed: [],
    },
    { name: 'failure older than 3 days', attempts: [attempt('g', 73, 500)], failed: [] },
    {
      name: 'success only outside the window',
      attempts: [attempt('g', 80, 200), attempt('g', 1, 500)],
      failed: ['g'],
    },
    {
      name: 'several guids',
      attempts: [attempt('a', 3, 500), attempt('b', 2, 200), attempt('c', 1, 404), attempt('a', 2, 500)],
      failed: ['c', 'a'],
    },
  ])('$name', ({ attempts, failed }) => {
    expect(
      selectRedeliveries(attempts, NOW)
        .failed.map((f) => f.guid)
        .sort(),
    ).toEqual([...failed].sort());
  });

  it('asks for the latest attempt of a guid, oldest guids first', () => {
    const first = attempt('old', 30, 500);
    const retry = attempt('old', 20, 500);
    const other = attempt('new', 2, 500);
    const { guids, failed } = selectRedeliveries([other, retry, first], NOW);
    expect(guids).toBe(2);
    expect(failed).toEqual([
      { guid: 'old', deliveryId: retry.id, event: 'push', attempts: 2, lastAttemptAt: retry.delivered_at },
      { guid: 'new', deliveryId: other.id, event: 'push', attempts: 1, lastAttemptAt: other.delivered_at },
    ]);
  });
});
