import type { AppContext } from '../context/index.ts';
import type { StoredDoc } from '../ports/index.ts';
import {
  COLLECTIONS,
  type Link,
  type Operation,
  type OperationAttempt,
  type SyncDirection,
} from '../records/index.ts';
import { eventOperationId, newOperationId, replayOperationId } from './operation-ids.ts';

/** A run's record stays small however often it is retried: the newest entries are kept. */
const MAX_PROGRESS = 100;
const MAX_ATTEMPTS = 25;
/** A dead letter replayed over and over still ends: past this many replays in a row, start afresh. */
const MAX_REPLAY_HOPS = 50;

type RecorderContext = Pick<AppContext, 'state' | 'now' | 'logger'>;

export interface RunRequest {
  /** The queued operation this request runs (API, scheduler, conflict resolution). */
  operationId?: string | undefined;
  /** The bus message: an event-triggered run takes its id from it, so a redelivery continues it. */
  messageId?: string | undefined;
  trigger: string;
  direction: SyncDirection;
  dryRun: boolean;
}

/**
 * Keeps an operation document current while a sync runs: running → progress steps → succeeded/failed,
 * one `attempts` entry per delivery. The history is only ever added to: a retry appends an attempt, a
 * replay of a run that gave up is a new operation naming it (`replayOf`). Progress writes are
 * best-effort; the finished record is written by the caller in the same transaction as the run's
 * state (see `draft` and `committed`), so a run is never shown as done before its results are durable.
 */
export class OperationRecorder {
  private op: Operation;
  private readonly ctx: RecorderContext;
  private readonly started: number;

  private constructor(ctx: RecorderContext, op: Operation) {
    this.ctx = ctx;
    this.op = op;
    this.started = ctx.now().getTime();
  }

  /**
   * Continues the run `request` names (queued, or retried after a failed attempt), or records a new
   * one. Undefined when that run already finished: a redelivered request has nothing to do.
   */
  static async begin(
    ctx: RecorderContext,
    link: Pick<Link, 'id' | 'tenant'>,
    request: RunRequest,
  ): Promise<OperationRecorder | undefined> {
    const now = ctx.now().toISOString();
    const id =
      request.operationId ?? (request.messageId ? eventOperationId(request.messageId, link.id) : undefined);
    const found = id ? await resolveRun(ctx, id) : { id: newOperationId() };
    if (!found) return undefined;
    const { existing, replayOf } = found;
    const attempts = existing?.data.attempts ?? [];
    const attempt: OperationAttempt = { attempt: (attempts.at(-1)?.attempt ?? 0) + 1, startedAt: now };
    const op: Operation = existing
      ? {
          ...existing.data,
          status: 'running',
          startedAt: existing.data.startedAt ?? now,
          attempts: [...attempts, attempt].slice(-MAX_ATTEMPTS),
        }
      : {
          id: found.id,
          linkId: link.id,
          tenant: link.tenant,
          trigger: replayOf?.trigger ?? request.trigger,
          direction: replayOf?.direction ?? request.direction,
          dryRun: replayOf?.dryRun ?? request.dryRun,
          status: 'running',
          conflicts: 0,
          apiCalls: {},
          progress: [],
          attempts: [attempt],
          queuedAt: now,
          startedAt: now,
          ...(replayOf ? { replayOf: replayOf.id } : {}),
        };
    const recorder = new OperationRecorder(ctx, op);
    if (attempt.attempt > 1)
      recorder.op.progress = trim([...op.progress, { step: `attempt ${attempt.attempt}`, at: now }]);
    await recorder.save();
    return recorder;
  }

  get id(): string {
    return this.op.id;
  }

  /** This run's attempt number: 1 for its first delivery, counted across redeliveries. */
  get attempt(): number {
    return this.op.attempts.at(-1)?.attempt ?? 1;
  }

  get current(): Operation {
    return this.op;
  }

  async step(step: string, patch: Partial<Operation> = {}): Promise<void> {
    this.op = {
      ...this.op,
      ...patch,
      progress: trim([...this.op.progress, { step, at: this.ctx.now().toISOString() }]),
    };
    await this.save().catch((err: unknown) =>
      this.ctx.logger.warn('progress not recorded', { operationId: this.op.id, error: err }),
    );
  }

  /**
   * The finished record, not yet taken as the run's: the caller writes it with the run's state in one
   * transaction and then calls `committed`. Until then the run is not done, and a failed final write
   * leaves it to be retried like any other failure.
   */
  draft(status: 'succeeded' | 'failed', patch: Partial<Operation> = {}): Operation {
    const now = this.ctx.now();
    const at = now.toISOString();
    const attempts = this.op.attempts.map((a, i, all) =>
      i === all.length - 1 ? { ...a, finishedAt: at, ...(patch.error ? { error: patch.error } : {}) } : a,
    );
    return {
      ...this.op,
      ...patch,
      status,
      attempts,
      finishedAt: at,
      durationMs: now.getTime() - this.started,
    };
  }

  /** The drafted record is durable: it is now the run's. */
  committed(op: Operation): Operation {
    this.op = op;
    return op;
  }

  /**
   * This attempt failed and the request will be delivered again: the run waits (`queued`) with the
   * attempt's error on record. Best effort: the redelivery resumes the run either way.
   */
  async attemptFailed(
    error: { code: string; message: string },
    patch: Partial<Operation> = {},
  ): Promise<void> {
    const at = this.ctx.now().toISOString();
    this.op = {
      ...this.op,
      ...patch,
      status: 'queued',
      attempts: this.op.attempts.map((a, i, all) =>
        i === all.length - 1 ? { ...a, finishedAt: at, error } : a,
      ),
      progress: trim([...this.op.progress, { step: `attempt failed (${error.code}); will retry`, at }]),
    };
    await this.save().catch((err: unknown) =>
      this.ctx.logger.warn('failed attempt not recorded', { operationId: this.op.id, error: err }),
    );
  }

  async save(): Promise<void> {
    await this.ctx.state.set(COLLECTIONS.operations, this.op.id, stripUndefined(this.op));
  }
}

/**
 * The run a request with operation id `id` continues. A run that gave up went to the dead letters, so
 * a delivery now is a replay: it continues that run's replay (a new operation, derived from its id),
 * following the chain when replays gave up in turn. Undefined when the run (or its replay) finished.
 */
async function resolveRun(
  ctx: RecorderContext,
  id: string,
): Promise<{ id: string; existing?: StoredDoc<Operation>; replayOf?: Operation } | undefined> {
  let current = id;
  let replayOf: Operation | undefined;
  for (let hop = 0; hop <= MAX_REPLAY_HOPS; hop++) {
    const existing = await ctx.state.get<Operation>(COLLECTIONS.operations, current);
    const status = existing?.data.status;
    if (!existing || (status !== 'succeeded' && status !== 'failed')) {
      return { id: current, ...(existing ? { existing } : {}), ...(replayOf ? { replayOf } : {}) };
    }
    if (status === 'succeeded' || existing.data.gaveUp !== true) return undefined;
    replayOf = existing.data;
    current = replayOperationId(current);
  }
  ctx.logger.warn('replayed too many times in a row; starting a new run', { operationId: id });
  return { id: newOperationId(), ...(replayOf ? { replayOf } : {}) };
}

function trim<T>(entries: T[]): T[] {
  return entries.length > MAX_PROGRESS ? entries.slice(-MAX_PROGRESS) : entries;
}

function stripUndefined<T extends object>(value: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
