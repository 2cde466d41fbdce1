import { tenantCredentials } from '../access/index.ts';
import { bridgeWebhookUrl, sameUrl } from '../connections/index.ts';
import type { AppContext } from '../context/index.ts';
import {
  channelCheck,
  type HealthCheck,
  type HealthCheckName,
  latencyCheck,
  rateLimitCheck,
  webhookCheck,
} from '../domain/index.ts';
import { isAppError } from '../errors/index.ts';
import { listChannels } from '../ingress/index.ts';
import type { TenantCredentials } from '../providers/index.ts';
import type { Link } from '../records/index.ts';
import { repoScope } from '../resilience/index.ts';

/** Where a call refused for its rate limit is reported. */
const RATE_LIMITED: Partial<Record<HealthCheckName, HealthCheckName>> = {
  'repo.auth': 'repo.rate-limit',
  'repo.webhook': 'repo.rate-limit',
};

/** What a failed call says about the integration: credentials refused are unhealthy, the rest degraded. */
function failedCheck(check: HealthCheckName, what: string, err: unknown): HealthCheck {
  const message = isAppError(err) ? err.message : 'internal error';
  if (isAppError(err) && (err.code === 'unauthorized' || err.code === 'forbidden'))
    return {
      check,
      status: 'unhealthy',
      reason: `${what} refused the bridge's credentials (${message}): reconnect`,
    };
  if (isAppError(err) && err.code === 'rate_limited')
    return {
      check: RATE_LIMITED[check] ?? check,
      status: 'unhealthy',
      reason: `${what}: rate limit used up (${message})`,
    };
  if (isAppError(err) && err.code === 'not_found')
    return {
      check,
      status: 'unhealthy',
      reason: `${what} is gone, or the credentials no longer see it (${message})`,
    };
  return { check, status: 'degraded', reason: `${what} could not be reached (${message})` };
}

const timedOut = (what: string, ms: number) =>
  new Promise<never>((_, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    t.unref();
  });

/** Runs `call` within `ms`; a slow answer counts as a failure to reach the provider. */
async function within<T>(what: string, ms: number, call: () => Promise<T>): Promise<T> {
  return Promise.race([call(), timedOut(what, ms)]);
}

export interface ProbeOptions {
  /** Longest wait for any one provider call (default 10 s). */
  callTimeoutMs?: number;
  /** Slower than this, the repository is reported degraded (default 3 s). */
  slowMs?: number;
}

/**
 * Checks one link's integrations the way its syncs use them: the tenant's access, the repository
 * (credentials, latency, rate-limit headroom, the webhook the bridge manages and its last delivery)
 * and the design (credentials, the Drive channel). Never throws: a failure is a check's status.
 */
export async function probeLink(
  ctx: AppContext,
  link: Link,
  options: ProbeOptions = {},
): Promise<HealthCheck[]> {
  const ms = options.callTimeoutMs ?? 10_000;
  let credentials: TenantCredentials;
  try {
    credentials = await within('the access check', ms, () => tenantCredentials(ctx, link));
  } catch (err) {
    return [failedCheck('access', 'the link’s access check', err)];
  }
  const checks: HealthCheck[] = [
    { check: 'access', status: 'healthy', reason: 'the tenant may use both sides' },
  ];
  const registry = await ctx.providers();
  checks.push(...(await probeRepo(ctx, link, credentials, registry, ms, options.slowMs)));
  checks.push(...(await probeDesign(ctx, link, credentials, registry, ms)));
  return checks;
}

type Registry = Awaited<ReturnType<AppContext['providers']>>;

async function probeRepo(
  ctx: AppContext,
  link: Link,
  credentials: TenantCredentials,
  registry: Registry,
  ms: number,
  slowMs: number | undefined,
): Promise<HealthCheck[]> {
  const repo = registry.repo(link.repo, credentials);
  const started = Date.now();
  try {
    await within('the repository', ms, () => repo.defaultBranch());
  } catch (err) {
    return [failedCheck('repo.auth', 'the repository', err)];
  }
  const checks: HealthCheck[] = [
    { check: 'repo.auth', status: 'healthy', reason: 'the repository answers with the link’s credentials' },
    latencyCheck(Date.now() - started, slowMs),
  ];
  const descriptor = registry.parseRepo(link.repo);
  if (descriptor.kind === 'github') {
    const scope = new Set([repoScope(descriptor.owner, descriptor.repo)]);
    checks.push(rateLimitCheck(ctx.resilience.status(scope).rateLimits));
  }
  if (repo.webhookSupport().managed) {
    const url = bridgeWebhookUrl(ctx);
    try {
      const hooks = await within('the webhook listing', ms, () => repo.listWebhooks());
      checks.push(webhookCheck(hooks, (hookUrl) => sameUrl(hookUrl, url)));
    } catch (err) {
      checks.push(failedCheck('repo.webhook', 'the webhook listing', err));
    }
  }
  return checks;
}

async function probeDesign(
  ctx: AppContext,
  link: Link,
  credentials: TenantCredentials,
  registry: Registry,
  ms: number,
): Promise<HealthCheck[]> {
  try {
    await within('the design', ms, () => registry.design(link.design, credentials).read());
  } catch (err) {
    return [failedCheck('design.auth', 'the design', err)];
  }
  const checks: HealthCheck[] = [
    { check: 'design.auth', status: 'healthy', reason: 'the design reads with the link’s credentials' },
  ];
  // A channel is only expected where one could be opened (a Drive design, Google credentials).
  if (registry.parseDesign(link.design).kind === 'drive' && link.driveChannel?.state !== 'not-needed') {
    const channels = await listChannels(ctx.state, { linkId: link.id });
    checks.push(channelCheck(channels, ctx.now()));
  }
  return checks;
}
