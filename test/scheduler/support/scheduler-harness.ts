import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../../shared/app/index.ts';
import { loadConfig } from '../../../shared/config/index.ts';
import type { AppContext } from '../../../shared/context/index.ts';
import { createLogger } from '../../../shared/logging/index.ts';
import type { BusMessage, EventPublisher, PublishOptions } from '../../../shared/ports/index.ts';
import { COLLECTIONS, type Link } from '../../../shared/records/index.ts';
import type { ResilienceSettings } from '../../../shared/resilience/index.ts';

export interface Published {
  topic: string;
  data: unknown;
  options: PublishOptions | undefined;
}

/** A clock tests move by hand (no sleeps). */
export function testClock(start = Date.parse('2025-03-01T12:00:00.000Z')) {
  let t = start;
  return {
    now: () => new Date(t),
    ms: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/**
 * A context over the embedded backends in a temp data dir. The publisher is wrapped (delegating to
 * the real durable bus) so tests see what was published; log lines are kept for leak checks.
 */
export async function startHarness(
  env: Record<string, string | undefined> = {},
  clock = testClock(),
  resilience?: Partial<ResilienceSettings>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-scheduler-'));
  const fullEnv = { BRIDGE_DATA_DIR: dir, PORT: '0', BRIDGE_DEMO: 'false', LOG_LEVEL: 'debug', ...env };
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => {
      lines.push(line);
      if (process.env.DEBUG_BRIDGE) process.stdout.write(`${line}\n`);
    },
    now: clock.now,
  });
  const ctx: AppContext = await createContext(loadConfig(fullEnv), {
    env: fullEnv,
    logger,
    now: clock.now,
    ...(resilience ? { resilience } : {}),
  });
  const real = ctx.publisher;
  const published: Published[] = [];
  const publisher: EventPublisher = {
    publish: async (topic, data, options) => {
      const id = await real.publish(topic, data, options);
      published.push({ topic, data, options });
      return id;
    },
    close: () => real.close(),
  };
  ctx.publisher = publisher;
  let seq = 0;
  return {
    ctx,
    clock,
    dir,
    lines,
    published,
    publishedOn: (topic: string) => published.filter((p) => p.topic === topic),
    /** A bus message as the push handler or the embedded bus hands it over. */
    message(topic: string, data: unknown, attributes: Record<string, string> = {}, id?: string): BusMessage {
      seq += 1;
      return {
        id: id ?? `msg-${seq}`,
        topic,
        data,
        attributes,
        publishTime: clock.now().toISOString(),
        deliveryAttempt: 1,
      };
    },
    async addLink(overrides: Partial<Link> = {}): Promise<Link> {
      seq += 1;
      const at = clock.now().toISOString();
      const link: Link = {
        id: `lnk_test${String(seq).padStart(4, '0')}`,
        tenant: 'tenant-a',
        repo: 'https://github.com/acme/arch',
        branch: 'main',
        design: `https://drive.google.com/file/d/design${seq}`,
        policy: {},
        status: 'synced',
        positions: {},
        openConflicts: 0,
        createdAt: at,
        updatedAt: at,
        ...overrides,
      };
      await ctx.state.set(COLLECTIONS.links, link.id, link);
      return link;
    },
    async close() {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
