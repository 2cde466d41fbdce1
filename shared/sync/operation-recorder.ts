import type { AppContext } from '../app/index.ts';
import { COLLECTIONS, type Link, type Operation, type SyncDirection } from '../links/index.ts';
import { newOperationId } from './queue-sync.ts';

/**
 * Keeps an operation document current while a sync runs: running → progress steps → succeeded/failed.
 * Progress writes are best-effort (a failed progress write never fails the sync).
 */
export class OperationRecorder {
  private op: Operation;
  private readonly ctx: Pick<AppContext, 'state' | 'now' | 'logger'>;
  private readonly started: number;

  private constructor(ctx: Pick<AppContext, 'state' | 'now' | 'logger'>, op: Operation) {
    this.ctx = ctx;
    this.op = op;
    this.started = ctx.now().getTime();
  }

  /**
   * Resumes the queued operation `operationId`, or records a new one for an event-triggered run.
   * Undefined when that operation already finished (a redelivered request has nothing to do).
   */
  static async begin(
    ctx: Pick<AppContext, 'state' | 'now' | 'logger'>,
    link: Pick<Link, 'id' | 'tenant'>,
    request: { operationId?: string; trigger: string; direction: SyncDirection; dryRun: boolean },
  ): Promise<OperationRecorder | undefined> {
    const now = ctx.now().toISOString();
    const existing = request.operationId
      ? await ctx.state.get<Operation>(COLLECTIONS.operations, request.operationId)
      : undefined;
    const status = existing?.data.status;
    if (status === 'succeeded' || (status === 'failed' && existing?.data.gaveUp !== true)) return undefined;
    // A run that gave up is resumed by a replay of its dead-lettered request.
    const op: Operation = existing
      ? {
          ...existing.data,
          status: 'running',
          startedAt: now,
          progress: [],
          error: undefined,
          gaveUp: undefined,
          finishedAt: undefined,
          durationMs: undefined,
        }
      : {
          id: request.operationId ?? newOperationId(),
          linkId: link.id,
          tenant: link.tenant,
          trigger: request.trigger,
          direction: request.direction,
          dryRun: request.dryRun,
          status: 'running',
          conflicts: 0,
          apiCalls: {},
          progress: [],
          queuedAt: now,
          startedAt: now,
        };
    const recorder = new OperationRecorder(ctx, op);
    await recorder.save();
    return recorder;
  }

  get id(): string {
    return this.op.id;
  }

  get current(): Operation {
    return this.op;
  }

  async step(step: string, patch: Partial<Operation> = {}): Promise<void> {
    this.op = {
      ...this.op,
      ...patch,
      progress: [...this.op.progress, { step, at: this.ctx.now().toISOString() }],
    };
    await this.save().catch((err: unknown) =>
      this.ctx.logger.warn('progress not recorded', { operationId: this.op.id, error: err }),
    );
  }

  /** The finished document (also written by the caller inside the state transaction when it has one). */
  finish(status: 'succeeded' | 'failed', patch: Partial<Operation> = {}): Operation {
    const now = this.ctx.now();
    this.op = {
      ...this.op,
      ...patch,
      status,
      finishedAt: now.toISOString(),
      durationMs: now.getTime() - this.started,
    };
    return this.op;
  }

  async save(): Promise<void> {
    await this.ctx.state.set(COLLECTIONS.operations, this.op.id, stripUndefined(this.op));
  }
}

function stripUndefined<T extends object>(value: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
