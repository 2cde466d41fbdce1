import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { type BusMessage, type MessageHandler, TOPICS } from '../ports/index.ts';
import { linksForRepo } from '../records/index.ts';
import { declineProposal, linkIdOfProposalBranch } from './declined-proposal.ts';
import type { SyncRequest } from './queue-sync.ts';
import { runSync, type SyncOptions } from './run-sync.ts';

interface GithubEventData {
  ref?: string;
  action?: string;
  repository?: { full_name?: string; html_url?: string };
  pull_request?: {
    number?: number;
    html_url?: string;
    merged?: boolean;
    head?: { ref?: string };
    base?: { ref?: string };
  };
}

/**
 * The sync worker: resolves which link(s) a message concerns and runs one sync for each. Topics are
 * the topology's names (the push handler and the embedded bus strip BRIDGE_TOPIC_PREFIX).
 * Resolving = ack; throwing = nack, so a transient failure is redelivered (and dead-lettered at last).
 */
export function createSyncWorker(ctx: AppContext): MessageHandler {
  const handle = handler(ctx);
  // Every line logged while a message is handled carries the trace of the request that published it.
  return (message) => {
    const traceId = message.attributes.traceId;
    return traceId ? ctx.logger.scope({ traceId }, () => handle(message)) : handle(message);
  };
}

function handler(ctx: AppContext): MessageHandler {
  return async (message: BusMessage) => {
    // The trace of the request that published the message (webhook, notification, API call).
    const traceId = message.attributes.traceId || undefined;
    const logger = ctx.logger.child({
      messageId: message.id,
      topic: message.topic,
      attempt: message.deliveryAttempt,
    });
    const delivery = {
      attempt: message.deliveryAttemptKnown === false ? undefined : message.deliveryAttempt,
      maxAttempts: message.maxDeliveryAttempts,
    };
    const traced = traceId ? { traceId } : {};
    switch (message.topic) {
      case TOPICS.syncRequests: {
        const request = message.data as Partial<SyncRequest>;
        if (!request.linkId) return logger.warn('sync request without linkId ignored');
        await runSync(ctx, request.linkId, {
          operationId: request.operationId,
          trigger: request.trigger ?? 'api',
          direction: request.direction ?? 'both',
          dryRun: request.dryRun ?? false,
          messageId: message.id,
          receivedAt: message.publishTime,
          delivery,
          ...traced,
        });
        return;
      }
      case TOPICS.driveChanges: {
        const { linkId } = message.data as { linkId?: string };
        if (!linkId) return logger.warn('drive change without linkId ignored');
        await runSync(ctx, linkId, {
          trigger: 'drive-change',
          direction: 'both',
          dryRun: false,
          messageId: message.id,
          receivedAt: (message.data as { receivedAt?: string }).receivedAt ?? message.publishTime,
          delivery,
          ...traced,
        });
        return;
      }
      case TOPICS.githubEvents:
        await handleGithubEvent(ctx, message, { delivery, ...traced });
        return;
      default:
        // Not acknowledged: a message routed here by mistake is redelivered, then dead-lettered.
        throw new AppError(
          'config_invalid',
          `The sync worker does not consume topic ${message.topic} (shared/topology)`,
        );
    }
  };
}

async function handleGithubEvent(
  ctx: AppContext,
  message: BusMessage,
  run: Pick<SyncOptions, 'delivery' | 'traceId'>,
): Promise<void> {
  const event = message.attributes.event;
  const data = message.data as GithubEventData;
  const fullName = message.attributes.repository ?? data.repository?.full_name;
  if (!fullName) return;
  const pr = data.pull_request;
  const proposalOf = linkIdOfProposalBranch(pr?.head?.ref);
  if (event === 'pull_request' && data.action === 'closed' && !pr?.merged && proposalOf) {
    if (typeof pr?.number === 'number') {
      await declineProposal(ctx, proposalOf, { number: pr.number, url: pr.html_url ?? '' });
    }
    return;
  }
  let branch: string | undefined;
  if (event === 'push' && data.ref?.startsWith('refs/heads/')) branch = data.ref.slice('refs/heads/'.length);
  else if (event === 'pull_request' && data.pull_request?.merged) branch = data.pull_request.base?.ref;
  else return; // other events carry nothing the sync reads
  // The link stores the registry's canonical URL; GitHub Enterprise Server names its own host in html_url.
  const repoUrl = (
    data.repository?.html_url?.replace(/\/+$/, '') ?? `https://github.com/${fullName}`
  ).toLowerCase();
  const links = await linksForRepo(ctx.state, repoUrl);
  for (const link of links) {
    if (link.data.branch !== branch || link.data.status === 'paused') continue;
    await runSync(ctx, link.id, {
      trigger: `github-${event}`,
      direction: 'both',
      dryRun: false,
      messageId: message.id,
      receivedAt: message.publishTime,
      ...run,
    });
  }
}
