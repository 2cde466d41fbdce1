import { describe, expect, it } from 'vitest';
import { isContentCreating, pacedFetch, WriteWindow } from '../../shared/resilience/index.ts';

/** A clock that only moves when someone sleeps: no real waiting. */
function virtualClock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

/** The most starts inside any window of `windowMs`. */
function maxInWindow(starts: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('write pacing (GitHub secondary limit: 80 content-creating requests per minute)', () => {
  it.each([
    { burst: 80, expectedSpanMs: 0 },
    { burst: 81, expectedSpanMs: 60_000 },
    { burst: 250, expectedSpanMs: 180_000 },
  ])(
    'a burst of $burst requests never puts more than 80 in any minute',
    async ({ burst, expectedSpanMs }) => {
      const clock = virtualClock();
      const window = new WriteWindow({ limit: 80, windowMs: 60_000, ...clock });
      const starts: number[] = [];
      await Promise.all(
        Array.from({ length: burst }, () => window.acquire().then(() => starts.push(clock.now()))),
      );
      expect(starts).toHaveLength(burst);
      expect(maxInWindow(starts, 60_000)).toBeLessThanOrEqual(80);
      expect(Math.max(...starts) - Math.min(...starts)).toBe(expectedSpanMs);
    },
  );

  it('with a minimum spacing, starts are at least that far apart', async () => {
    const clock = virtualClock();
    const window = new WriteWindow({ limit: 80, windowMs: 60_000, minSpacingMs: 1_000, ...clock });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, () => window.acquire().then(() => starts.push(clock.now()))),
    );
    expect(starts).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
  });

  it('reports waiting requests and until when', async () => {
    let t = 0;
    let wake!: () => void;
    const window = new WriteWindow({
      limit: 1,
      windowMs: 60_000,
      now: () => t,
      sleep: () => new Promise<void>((resolve) => (wake = resolve)),
    });
    await window.acquire();
    const second = window.acquire();
    await Promise.resolve();
    await Promise.resolve();
    expect(window.state()).toMatchObject({
      used: 1,
      waiting: 1,
      waitingUntil: new Date(60_000).toISOString(),
    });
    t = 60_000;
    wake();
    await second;
    expect(window.state()).toMatchObject({ waiting: 0 });
  });

  it.each([
    ['POST', '/repos/o/r/git/trees', '{}', true],
    ['PATCH', '/repos/o/r/git/refs/heads/main', '{}', true],
    ['PUT', '/repos/o/r/contents/a', '{}', true],
    ['DELETE', '/repos/o/r/git/refs/heads/x', undefined, true],
    ['GET', '/repos/o/r/git/trees/abc', undefined, false],
    ['POST', '/graphql', '{"query":"query($o: String!) { a }"}', false],
    ['POST', '/graphql', '{"query":"mutation { createCommitOnBranch }"}', true],
    ['POST', '/app/installations/1/access_tokens', undefined, false],
  ])('%s %s content-creating=%s', (method, path, body, expected) => {
    expect(isContentCreating(method, path, body)).toBe(expected);
  });

  it('pacedFetch takes a slot only for content-creating requests', async () => {
    const clock = virtualClock();
    const window = new WriteWindow({ limit: 2, windowMs: 60_000, ...clock });
    const seen: Array<[string, number]> = [];
    const fetch = pacedFetch({
      window,
      inner: async (input, init) => {
        seen.push([`${init?.method} ${String(input)}`, clock.now()]);
        return new Response('{}');
      },
    });
    for (let i = 0; i < 3; i++) {
      await fetch('http://h/repos/o/r/git/commits', { method: 'POST', body: '{}' });
      await fetch('http://h/repos/o/r/git/trees/x', { method: 'GET' });
    }
    expect(seen.map(([, at]) => at)).toEqual([0, 0, 0, 0, 60_000, 60_000]);
  });
});
