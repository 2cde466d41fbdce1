import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../../shared/app/index.ts';
import { loadConfig } from '../../../shared/config/index.ts';
import { startLocalServer } from '../../../shared/edge/index.ts';
import { createLogger } from '../../../shared/logging/index.ts';
import type { EventPublisher, PublishOptions, SecretStore } from '../../../shared/ports/index.ts';
import { TEST_SECRET } from './webhook-delivery.ts';

/** The JSON answers of the ingress endpoints (success or `{error}`). */
export interface ResponseBody {
  status?: string;
  deliveryId?: string;
  error?: { code: string; message: string };
}

export interface Published {
  topic: string;
  data: unknown;
  options: PublishOptions | undefined;
  id: string;
}

/**
 * The real local server on port 0 over the embedded backends in a temp data dir. The publisher is
 * wrapped (delegating to the real durable bus) so tests can see what was published and make the
 * next publishes fail; `outbox: false` hides the bus's publishIfCreated (the path without an outbox,
 * as on GCP).
 */
export async function startBridge(
  env: Record<string, string | undefined> = {},
  options: { now?: () => Date; outbox?: boolean; secrets?: SecretStore } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-ingress-'));
  const fullEnv = {
    BRIDGE_DATA_DIR: dir,
    PORT: '0',
    GITHUB_WEBHOOK_SECRET: TEST_SECRET,
    BRIDGE_DEMO: 'false',
    LOG_LEVEL: 'error' as const,
    ...env,
  };
  const logger = createLogger({ level: 'error', write: process.env.DEBUG_BRIDGE ? undefined : () => {} });
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const { outbox: _outbox, secrets, ...contextOptions } = options;
  const ctx = await createContext(loadConfig(fullEnv), { env: fullEnv, logger, ...contextOptions }).catch(
    (err: unknown) => {
      removeDir();
      throw err;
    },
  );
  const real = ctx.publisher;
  const published: Published[] = [];
  let failing = 0;
  const publisher: EventPublisher = {
    publish: async (topic, data, options) => {
      if (failing > 0) {
        failing -= 1;
        throw new Error('bus unavailable (test)');
      }
      const id = await real.publish(topic, data, options);
      published.push({ topic, data, options, id });
      return id;
    },
    close: () => real.close(),
  };
  if (real.publishIfCreated && options.outbox !== false) {
    const publishIfCreated = real.publishIfCreated.bind(real);
    publisher.publishIfCreated = async (record, topic, data, options) => {
      if (failing > 0) {
        failing -= 1;
        throw new Error('bus unavailable (test)');
      }
      const id = await publishIfCreated(record, topic, data, options);
      if (id !== undefined) published.push({ topic, data, options, id });
      return id;
    };
  }
  ctx.publisher = publisher;
  // Another secret store (Secret Manager on a loopback server) in place of the embedded one.
  if (secrets) ctx.secrets = secrets;
  const server = await startLocalServer(ctx, { port: 0 }).catch(async (err: unknown) => {
    await ctx.close();
    removeDir();
    throw err;
  });

  return {
    ctx,
    url: server.url,
    published,
    publishedOn: (topic: string) => published.filter((p) => p.topic === topic),
    failNextPublishes(n: number) {
      failing = n;
    },
    async post(path: string, request: { headers: Record<string, string>; body?: Buffer | string }) {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: request.headers,
        ...(request.body !== undefined
          ? { body: typeof request.body === 'string' ? request.body : new Uint8Array(request.body) }
          : {}),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        body: text ? (JSON.parse(text) as ResponseBody) : {},
      };
    },
    async close() {
      await server.close(1_000);
      await ctx.close();
      removeDir();
    },
  };
}

export type Bridge = Awaited<ReturnType<typeof startBridge>>;

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}
