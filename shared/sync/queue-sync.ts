import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { TOPICS } from '../ports/index.ts';
import { COLLECTIONS, type Link, type Operation, type SyncDirection } from '../records/index.ts';
import { newOperationId } from './operation-ids.ts';

export interface SyncRequest {
  linkId: string;
  operationId: string;
  trigger: string;
  direction: SyncDirection;
  dryRun: boolean;
}

export { newOperationId } from './operation-ids.ts';

/** How long a queued, not yet started sync is trusted to run (older ones may be stuck: queue again). */
export const PENDING_SYNC_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * The link's newest operation when it is still `queued` (not started) and recent, and a real sync
 * both ways: it will read both sides as they are when it runs, so a scheduled job need not queue
 * another behind it. (A `running` one may have read before the change that prompts the caller, and a
 * dry run or a one-way sync would not carry the change everywhere: those do not count.)
 */
export async function pendingSync(
  ctx: Pick<AppContext, 'state' | 'now'>,
  linkId: string,
  maxAgeMs = PENDING_SYNC_MAX_AGE_MS,
): Promise<Operation | undefined> {
  const [newest] = await ctx.state.query<Operation>(COLLECTIONS.operations, {
    where: [['linkId', '==', linkId]],
    orderBy: { field: 'queuedAt', direction: 'desc' },
    limit: 1,
  });
  const op = newest?.data;
  if (op?.status !== 'queued' || op.dryRun || op.direction !== 'both') return undefined;
  const age = ctx.now().getTime() - Date.parse(op.queuedAt);
  return age >= 0 && age < maxAgeMs ? op : undefined;
}

/**
 * Records a queued operation and publishes the request (ordering key = link id, so one link's syncs
 * run in order). If publishing fails the operation is marked failed and the caller gets 503.
 */
export async function queueSync(
  ctx: Pick<AppContext, 'state' | 'publisher' | 'now' | 'logger'>,
  link: Pick<Link, 'id' | 'tenant'>,
  options: { trigger: string; direction?: SyncDirection; dryRun?: boolean; traceId?: string | undefined },
): Promise<Operation> {
  const operation: Operation = {
    id: newOperationId(),
    linkId: link.id,
    tenant: link.tenant,
    trigger: options.trigger,
    direction: options.direction ?? 'both',
    dryRun: options.dryRun ?? false,
    status: 'queued',
    conflicts: 0,
    apiCalls: {},
    progress: [],
    attempts: [],
    queuedAt: ctx.now().toISOString(),
  };
  await ctx.state.set(COLLECTIONS.operations, operation.id, operation);
  const request: SyncRequest = {
    linkId: link.id,
    operationId: operation.id,
    trigger: operation.trigger,
    direction: operation.direction,
    dryRun: operation.dryRun,
  };
  try {
    await ctx.publisher.publish(TOPICS.syncRequests, request, {
      attributes: {
        linkId: link.id,
        operationId: operation.id,
        trigger: operation.trigger,
        // The request's trace (the API call that asked), so the worker's lines join it in Cloud Logging.
        ...(options.traceId ? { traceId: options.traceId } : {}),
      },
      orderingKey: link.id,
    });
  } catch (err) {
    ctx.logger.error('could not queue sync', { linkId: link.id, operationId: operation.id, error: err });
    const failed: Operation = {
      ...operation,
      status: 'failed',
      finishedAt: ctx.now().toISOString(),
      error: { code: 'unavailable', message: 'The event bus did not accept the request' },
    };
    await ctx.state.set(COLLECTIONS.operations, operation.id, failed);
    throw new AppError('unavailable', 'The sync could not be queued; try again', {
      headers: { 'retry-after': '5' },
    });
  }
  return operation;
}
