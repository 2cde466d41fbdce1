import { EXIT } from '../api-client.ts';
import { stringFlag, UsageError } from '../args.ts';
import { type Command, type CommandIo, enc, need, print } from '../command.ts';
import { type ConflictView, describeOperation, type OperationView } from '../describe.ts';
import { table } from '../format.ts';

type RunningOperation = OperationView & { progress?: Array<{ step: string }> };

const POLL_MS = 500;
const CONFLICTS_SHOWN = 100;

/** Polls the operation until it finishes (progress steps to stderr), or undefined on the timeout. */
async function waitFor(
  io: CommandIo,
  operationId: string,
  timeoutMs: number,
  showProgress: boolean,
): Promise<RunningOperation | undefined> {
  const started = io.now();
  let shown = 0;
  for (;;) {
    const op = await io.api.request<RunningOperation>('GET', `/api/v1/operations/${enc(operationId)}`);
    if (showProgress) {
      for (const p of (op.progress ?? []).slice(shown)) io.err(`  … ${p.step}\n`);
      shown = op.progress?.length ?? 0;
    }
    if (op.status === 'succeeded' || op.status === 'failed') return op;
    if (io.now() - started >= timeoutMs) {
      io.err(`still ${op.status} after ${timeoutMs / 1000} s; follow it with: bridge op ${operationId}\n`);
      return undefined;
    }
    await io.sleep(POLL_MS);
  }
}

/** The conflicts the run recorded (opened, or settled by the policy), and how many more were opened. */
async function recordedBy(io: CommandIo, linkId: string, op: RunningOperation) {
  if (!op.conflicts || op.dryRun) return { recorded: [] as ConflictView[], more: 0 };
  const page = (state: string) =>
    io.api.request<{ items: ConflictView[]; total?: number }>(
      'GET',
      `/api/v1/links/${enc(linkId)}/conflicts?operationId=${enc(op.id)}&state=${state}&pageSize=${CONFLICTS_SHOWN}`,
    );
  const [open, settled] = await Promise.all([page('open'), page('settled')]);
  const more = Math.max(0, (open.total ?? open.items.length) - open.items.length);
  return { recorded: [...open.items, ...settled.items], more };
}

const sync: Command = {
  options: {
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    direction: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  args: ['<link>'],
  async run(args, io) {
    const id = need(args, 1, 'link id');
    const dryRun = args.flags['dry-run'] === true;
    const body = { direction: stringFlag(args, 'direction'), dryRun: dryRun || undefined };
    const timeoutSeconds = Number(stringFlag(args, 'timeout') ?? 300);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
      throw new UsageError('--timeout takes a number of seconds, such as 300');
    }
    const queued = await io.api.request<{ operationId: string }>(
      'POST',
      `/api/v1/links/${enc(id)}/sync`,
      body,
    );
    // A dry run is only worth its plan: wait for it.
    if (!args.flags.wait && !dryRun) {
      print(io, args, queued, () => `queued operation ${queued.operationId}\n`);
      return EXIT.ok;
    }
    const op = await waitFor(io, queued.operationId, timeoutSeconds * 1000, !args.flags.json);
    if (!op) return EXIT.unavailable;
    const { recorded, more } =
      op.status === 'succeeded' ? await recordedBy(io, id, op) : { recorded: [], more: 0 };
    const opened = recorded.filter((c) => c.state === 'open').length + more;
    print(io, args, op, () => describeOperation({ linkId: id, ...op }, recorded, more));
    // 5: the sync failed, or it left a decision to a person (as --help promises).
    return op.status === 'failed' || opened > 0 ? EXIT.conflict : EXIT.ok;
  },
};

const operation: Command = {
  options: {},
  args: ['<operation>'],
  async run(args, io) {
    const op = await io.api.request<Record<string, unknown>>(
      'GET',
      `/api/v1/operations/${enc(need(args, 1, 'operation id'))}`,
    );
    print(io, args, op, () =>
      table([op], ['id', 'status', 'outcome', 'trigger', 'direction', 'durationMs', 'error']),
    );
    return EXIT.ok;
  },
};

export const SYNC_COMMANDS: Record<string, Command> = { sync, op: operation };
