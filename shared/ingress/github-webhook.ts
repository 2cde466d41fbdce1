import type { AppContext } from '../context/index.ts';
import { AppError, isAppError } from '../errors/index.ts';
import {
  errorResponse,
  type HttpHandler,
  type HttpRequest,
  type HttpResponse,
  json,
  methodNotAllowed,
} from '../http/index.ts';
import { type Logger, newTraceId, traceIdFromHeaders } from '../logging/index.ts';
import { type PublishOptions, TOPICS } from '../ports/index.ts';
import {
  type DeliveryFacts,
  publishFirstReceipt,
  recordDelivery,
  recordUnpublished,
  setDeliveryOutcome,
} from './delivery-record.ts';
import { countIntake } from './intake-metrics.ts';
import { isOwnCommitPush } from './own-commit.ts';
import {
  parseWebhookPayload,
  WEBHOOK_CONTENT_TYPES,
  type WebhookContentType,
  webhookContentType,
} from './parse-webhook-payload.ts';
import { trimPayload } from './trim-payload.ts';
import { type Admission, type IntakeLimits, UnverifiedIntake } from './unverified-intake.ts';
import { hasSignatureShape, verifyGithubSignature } from './verify-github-signature.ts';
import { createWebhookSecretsReader } from './webhook-secrets.ts';

/** GitHub's own cap on a webhook payload (larger ones are not sent at all). */
export const WEBHOOK_BODY_LIMIT = 25 * 1024 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const idOf = (v: unknown): string | undefined => {
  if (v === null || typeof v !== 'object') return undefined;
  const id = (v as { id?: unknown }).id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
};

/** Which hook sent the delivery: the hook id, else the installation target (an app or repository). */
function hookKey(headers: HttpRequest['headers']): string {
  const hookId = headers['x-github-hook-id'];
  if (hookId) return `hook-${hookId}`;
  const targetId = headers['x-github-hook-installation-target-id'];
  const targetType = headers['x-github-hook-installation-target-type'] ?? 'target';
  return targetId ? `${targetType}-${targetId}` : 'hook-unknown';
}

function deliveryFacts(
  req: HttpRequest,
  event: string,
  deliveryId: string,
  payload: Record<string, unknown>,
) {
  const repository = payload.repository as { full_name?: unknown } | undefined;
  return {
    deliveryId,
    hook: hookKey(req.headers),
    event,
    action: str(payload.action),
    repository: str(repository?.full_name),
    installationId: idOf(payload.installation),
  } satisfies DeliveryFacts;
}

function publishOptions(facts: DeliveryFacts, traceId: string | undefined): PublishOptions {
  const attributes: Record<string, string> = { event: facts.event, deliveryId: facts.deliveryId };
  if (traceId) attributes.traceId = traceId;
  if (facts.action) attributes.action = facts.action;
  if (facts.repository) attributes.repository = facts.repository;
  if (facts.installationId) attributes.installation = facts.installationId;
  return facts.repository ? { attributes, orderingKey: facts.repository } : { attributes };
}

/** Deliveries handled at once per instance before new ones get 503 + Retry-After. */
export const MAX_IN_FLIGHT = 512;

/** Bodies held before their signature is checked, in total (two of GitHub's largest fit). */
export const MAX_UNVERIFIED_BYTES = 64 * 1024 * 1024;

/** GitHub gives up on a delivery that gets no answer within 10 s: a body still arriving then is no delivery. */
export const WEBHOOK_BODY_DEADLINE_MS = 10_000;

export interface GithubWebhookOptions extends Partial<IntakeLimits> {
  bodyDeadlineMs?: number;
}

/** What the headers said, checked before the body is read. */
interface Prechecked {
  contentType: WebhookContentType;
  event: string;
  deliveryId: string;
  secrets: string[];
  signature: string;
}

/**
 * `POST /github/webhook`: verify the signature over the raw body, record the delivery once
 * (create-if-absent), drop the bridge's own pushes, publish to `github-events`, answer 202. Where the
 * publisher is an outbox (the embedded bus), a first receipt is one write: the marker, already
 * `published`, with the message. No GitHub
 * API call happens here: GitHub gives up on a delivery that gets no answer within 10 s.
 *
 * Before a body is read, its headers must be able to belong to a genuine delivery (GitHub's headers,
 * a signature of the right shape): only such requests take a slot of the intake, and their bodies
 * count against a shared byte budget until the signature has been checked (UnverifiedIntake).
 */
export function createGithubWebhookHandler(ctx: AppContext, options: GithubWebhookOptions = {}): HttpHandler {
  const intake = new UnverifiedIntake({
    maxInFlight: options.maxInFlight ?? MAX_IN_FLIGHT,
    maxUnverifiedBytes: options.maxUnverifiedBytes ?? MAX_UNVERIFIED_BYTES,
    evictAfterMs: options.evictAfterMs ?? 2_000,
  });
  const bodyDeadlineMs = options.bodyDeadlineMs ?? WEBHOOK_BODY_DEADLINE_MS;
  const webhookSecrets = createWebhookSecretsReader(ctx.secrets, ctx.now);
  const logger = ctx.logger.child({ component: 'github-webhook' });

  /** What can be checked without the body; throws the answer for a request that cannot be a delivery. */
  async function precheck(req: HttpRequest, log: Logger): Promise<Prechecked> {
    const contentType = webhookContentType(req.headers['content-type']);
    if (!contentType) {
      throw new AppError(
        'unsupported_media_type',
        `Content-Type must be ${WEBHOOK_CONTENT_TYPES.join(' or ')} (the webhook's content type setting)`,
      );
    }
    const event = req.headers['x-github-event'];
    const deliveryId = req.headers['x-github-delivery'];
    if (!event || !deliveryId) {
      throw new AppError('bad_request', 'Missing X-GitHub-Event or X-GitHub-Delivery header');
    }
    const secrets = await webhookSecrets();
    if (secrets.length === 0) {
      throw new AppError(
        'unavailable',
        'No webhook secret is configured: set GITHUB_WEBHOOK_SECRET (local) or add a version of the ' +
          'github-webhook-secret secret; unsigned deliveries are never accepted',
      );
    }
    const signature = req.headers['x-hub-signature-256'];
    if (signature === undefined || !hasSignatureShape(signature)) {
      log.warn('webhook signature rejected', { deliveryId, event, reason: 'missing' });
      throw new AppError('unauthorized', 'Missing or invalid X-Hub-Signature-256');
    }
    return { contentType, event, deliveryId, secrets, signature };
  }

  async function handle(
    req: HttpRequest,
    admission: Admission,
    checked: Prechecked,
    log: Logger,
    traceId: string,
  ) {
    const { contentType, event, deliveryId, secrets, signature } = checked;
    const body = await req.body(WEBHOOK_BODY_LIMIT, {
      reserve: admission.reserve,
      deadlineMs: bodyDeadlineMs,
      signal: admission.signal,
    });
    if (body.length === 0) throw new AppError('bad_request', 'Webhook body is empty');
    let check = await verifyGithubSignature(body, signature, secrets);
    if (!check.ok && check.reason === 'mismatch') {
      // Right after a rotation GitHub may sign with a secret newer than the cached ones: read again,
      // around the secret store's cache too (at most once per WEBHOOK_SECRET_RECHECK_MS), rather
      // than refuse a good delivery.
      const fresh = await webhookSecrets.recheck();
      if (fresh !== secrets && fresh.length > 0) check = await verifyGithubSignature(body, signature, fresh);
    }
    // Verified or refused: its bytes stop counting as unverified, and a refused one leaves at once.
    admission.verified();
    if (!check.ok) {
      admission.done();
      if (check.reason === 'not-utf8') throw new AppError('bad_request', 'Webhook body is not valid UTF-8');
      log.warn('webhook signature rejected', { deliveryId, event, reason: check.reason });
      throw new AppError('unauthorized', 'Missing or invalid X-Hub-Signature-256');
    }
    const payload = parseWebhookPayload(check.text, contentType);

    const facts = deliveryFacts(req, event, deliveryId, payload);
    const now = ctx.now();
    const ownCommit = event === 'push' && isOwnCommitPush(payload);
    const message = () => ({
      topic: TOPICS.githubEvents,
      data: trimPayload(event, payload, body.length),
      options: publishOptions(facts, traceId),
    });
    if (!ownCommit && ctx.publisher.publishIfCreated) {
      // One write: the marker (created-if-absent, already `published`) with the message.
      let messageId: string | undefined;
      try {
        messageId = await publishFirstReceipt(ctx.publisher, facts, now, message());
      } catch (err) {
        // Nothing was written; record the receipt unclaimed so a redelivery publishes it.
        throw await publishFailed(log, facts, err, () => recordUnpublished(ctx.state, facts, now));
      }
      if (messageId !== undefined) return json(202, { status: 'accepted', deliveryId });
    }

    const { claimed, record } = await recordDelivery(ctx.state, facts, now);
    if (record.outcome !== 'received') {
      log.info('duplicate delivery', { deliveryId, event, timesReceived: record.timesReceived });
      return json(202, { status: 'duplicate', deliveryId });
    }
    if (!claimed) {
      throw new AppError(
        'conflict',
        'This delivery is being processed by another request; redeliver it if that fails',
      );
    }

    if (ownCommit) {
      await setDeliveryOutcome(ctx.state, facts, 'dropped-own-commit', now);
      log.info('dropped push of the bridge’s own commits', { deliveryId, repository: facts.repository });
      return json(202, { status: 'accepted', deliveryId });
    }

    let messageId: string;
    try {
      const { topic, data, options } = message();
      messageId = await ctx.publisher.publish(topic, data, options);
    } catch (err) {
      // The marker stays `received` (claim released), so a redelivery (GitHub's, or the recovery
      // job's) publishes it; the 503 marks this attempt failed on GitHub's side.
      throw await publishFailed(log, facts, err, () => setDeliveryOutcome(ctx.state, facts, 'received', now));
    }
    try {
      await setDeliveryOutcome(ctx.state, facts, 'published', now, messageId);
    } catch (err) {
      // Published is what matters; a marker left at `received` only means a redelivery publishes again.
      log.warn('recording a published delivery failed', { deliveryId, error: err });
    }
    return json(202, { status: 'accepted', deliveryId });
  }

  /** Logs a failed publish, leaves the marker publishable by a redelivery, and gives the 503 to throw. */
  async function publishFailed(
    log: Logger,
    facts: DeliveryFacts,
    err: unknown,
    release: () => Promise<unknown>,
  ) {
    const { deliveryId, event } = facts;
    log.error('publishing a webhook delivery failed', { deliveryId, event, error: err });
    await release().catch((e: unknown) =>
      log.warn('recording an unpublished delivery failed; a redelivery waits for the lease', {
        deliveryId,
        error: e,
      }),
    );
    return new AppError('unavailable', 'The delivery could not be queued; redeliver it later', {
      cause: err,
      headers: { 'retry-after': '5' },
    });
  }

  return async (req) => {
    const response = await answer(req);
    // Rejected before the signature was checked, the event header is only a claim: see countIntake.
    countIntake(ctx.metrics, 'github', req.headers['x-github-event'], response);
    return response;
  };

  async function answer(req: HttpRequest): Promise<HttpResponse> {
    // Carried on the message (attribute traceId), so the sync it starts logs under the same trace.
    const traceId = traceIdFromHeaders(req.headers) ?? newTraceId();
    const log = logger.child({ traceId });
    let admission: Admission | undefined;
    try {
      if (req.method !== 'POST') return methodNotAllowed(['POST']);
      const checked = await precheck(req, log);
      admission = intake.admit();
      // Overload: answer 503 + Retry-After at once rather than queueing without bound. GitHub marks the
      // delivery failed and the recovery job (or a person) redelivers it; nothing is dropped silently.
      if (!admission) {
        log.warn('webhook ingress overloaded; asking GitHub to retry', intake.stats());
        throw new AppError('unavailable', 'Too many deliveries in flight; retry shortly', {
          headers: { 'retry-after': '1' },
        });
      }
      return await handle(req, admission, checked, log, traceId);
    } catch (err) {
      const response = errorResponse(err);
      // The rest of an oversized body is never read: close the connection instead of draining it.
      if (isAppError(err) && err.code === 'payload_too_large') {
        response.headers = { ...response.headers, connection: 'close' };
      }
      if (!isAppError(err)) log.error('webhook handling failed', { error: err });
      return response;
    } finally {
      admission?.done();
    }
  }
}
