import type { AppContext } from '../context/index.ts';
import type { GaugeSources, TopicReading } from '../metrics/index.ts';
import type { AiGateway } from '../ports/index.ts';
// The collection names only: the records module (and its schemas) is not loaded at cold start.
import { COLLECTIONS } from '../records/collections.ts';
import type { Link } from '../records/index.ts';
import { TOPICS } from '../topology/index.ts';

/** State-store reads behind the gauges are cached this long: a scrape or flush must stay cheap. */
const STATE_READ_TTL_MS = 60_000;
/** Links summed for the drift gauge at most (a deployment with more shows the first ones'). */
const MAX_DRIFT_LINKS = 5_000;

/** A resilience key `github:api.github.com/app-1/acme` → provider `github`, account `app-1/acme`. */
function splitKey(key: string): { provider: string; account: string } {
  const colon = key.indexOf(':');
  const provider = colon > 0 ? key.slice(0, colon) : 'unknown';
  const rest = colon > 0 ? key.slice(colon + 1) : key;
  const slash = rest.indexOf('/');
  return { provider, account: slash >= 0 ? rest.slice(slash + 1) : rest };
}

function cached<T>(ctx: Pick<AppContext, 'now'>, ttlMs: number, read: () => Promise<T>): () => Promise<T> {
  let value: { at: number; promise: Promise<T> } | undefined;
  return () => {
    const now = ctx.now().getTime();
    if (!value || now - value.at >= ttlMs) {
      const promise = read();
      value = { at: now, promise };
      promise.catch(() => {
        if (value?.promise === promise) value = undefined;
      });
    }
    return value.promise;
  };
}

/** What the gauges read at collection time: the resilience kit, the embedded queue, the state store. */
export function gaugeSources(
  ctx: AppContext,
  aiGateway: () => AiGateway | undefined = () => undefined,
): GaugeSources {
  const { bus } = ctx;
  const nearestExpiry = cached(ctx, STATE_READ_TTL_MS, async () => {
    const [first] = await ctx.state.query<{ expiresAt?: string }>(COLLECTIONS.channels, {
      orderBy: { field: 'expiresAt' },
      limit: 1,
    });
    return first?.data.expiresAt;
  });
  return {
    ai: () => {
      const gateway = aiGateway();
      if (!gateway) return undefined;
      const gauges = gateway.gauges?.() ?? { queued: 0, usage: [] };
      return {
        ...gauges,
        providers: gateway.status().providers.map((p) => ({
          provider: p.provider,
          model: p.model,
          available:
            p.keyValid === false
              ? 0
              : p.circuit.phase === 'closed'
                ? 1
                : p.circuit.phase === 'half-open'
                  ? 0.5
                  : 0,
        })),
      };
    },
    rateLimits: () =>
      ctx.resilience.status().rateLimits.map((r) => ({
        ...splitKey(r.key),
        resource: r.resource,
        limit: r.limit,
        remaining: r.remaining,
      })),
    // On GCP, Pub/Sub reports its own backlog and dead letters (terraform/monitoring.tf reads those).
    ...(bus?.topicStats
      ? {
          topics: async (): Promise<TopicReading[]> => {
            const now = ctx.now().getTime();
            const stats = new Map((await bus.topicStats?.())?.map((t) => [t.topic, t]) ?? []);
            // Every topic is shown, an empty one at 0 (an alert on "dead letters > 0" needs the series).
            const names = new Set<string>([...Object.values(TOPICS), ...stats.keys()]);
            return [...names].map((topic) => {
              const t = stats.get(topic);
              const oldest = t?.oldestPublishTime ? Date.parse(t.oldestPublishTime) : Number.NaN;
              return {
                topic,
                depth: t?.depth ?? 0,
                dead: t?.dead ?? 0,
                oldestAgeSeconds: Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : 0,
              };
            });
          },
        }
      : {}),
    channelExpirySeconds: async () => {
      const expiresAt = await nearestExpiry();
      return expiresAt === undefined ? undefined : (Date.parse(expiresAt) - ctx.now().getTime()) / 1000;
    },
    driftFindings: cached(ctx, STATE_READ_TTL_MS, async () => {
      const links = await ctx.state.query<Pick<Link, 'drift'>>(COLLECTIONS.links, { limit: MAX_DRIFT_LINKS });
      const totals: Record<string, number> = {};
      for (const link of links) {
        for (const [kind, count] of Object.entries(link.data.drift ?? {})) {
          totals[kind] = (totals[kind] ?? 0) + count;
        }
      }
      return totals;
    }),
    onError: (source, err) => ctx.logger.warn('a metrics gauge could not be read', { source, error: err }),
  };
}
