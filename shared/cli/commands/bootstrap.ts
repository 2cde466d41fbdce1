import { EXIT } from '../api-client.ts';
import { stringFlag, UsageError } from '../args.ts';
import { type Command, type CommandIo, enc, need, plural, print } from '../command.ts';

interface JobView {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { filesRead: number; servicesFound: number; modelCalls: number; costUsd: number };
  events: Array<{ step: string; at: string }>;
  services: Array<{ id: string; name: string; path?: string }>;
  source?: 'deterministic' | 'model';
  notes: string[];
  skipped: Array<{ path: string; reason: string }>;
  pullRequest?: { number: number; url: string; branch: string };
  error?: { code: string; message: string };
}

const POLL_MS = 500;
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** One line of progress: the counters, then the latest step. */
export function progressLine(job: JobView): string {
  const p = job.progress;
  const cost = p.modelCalls > 0 ? ` · $${p.costUsd.toFixed(4)}` : '';
  return `${plural(p.filesRead, 'file')} read · ${plural(p.servicesFound, 'service')} · ${plural(p.modelCalls, 'model call')}${cost} · ${job.events.at(-1)?.step ?? job.status}`;
}

function describe(linkId: string, job: JobView): string {
  const lines: string[] = [];
  if (job.status === 'succeeded' && job.pullRequest) {
    lines.push(
      `Proposed ${plural(job.services.length, 'service')} (${job.source ?? 'deterministic'}) in pull request #${job.pullRequest.number}: ${job.pullRequest.url}`,
    );
    for (const s of job.services) lines.push(`  ${s.id}${s.path ? `  ${s.path}` : ''}`);
    lines.push('Merge it, and the next sync brings them into the design.');
  } else if (job.status === 'failed') {
    lines.push(`Bootstrap failed: ${job.error?.message ?? 'unknown error'}`);
    if (job.services.length)
      lines.push(`Found before it stopped: ${job.services.map((s) => s.id).join(', ')}`);
  } else if (job.status === 'cancelled') lines.push('Bootstrap cancelled; nothing was written.');
  else lines.push(`Bootstrap ${job.status}; follow it with: bridge bootstrap status ${linkId}`);
  for (const n of job.notes) lines.push(`note: ${n}`);
  if (job.skipped.length)
    lines.push(
      `${plural(job.skipped.length, 'file')} not read (limits): ${job.skipped
        .slice(0, 5)
        .map((s) => s.path)
        .join(', ')}${job.skipped.length > 5 ? ', …' : ''}`,
    );
  return `${lines.join('\n')}\n`;
}

/** Follows the job until it finishes, rewriting one progress line on a terminal (a line per change otherwise). */
async function follow(
  io: CommandIo,
  linkId: string,
  timeoutMs: number,
  show: boolean,
): Promise<JobView | undefined> {
  const started = io.now();
  let last = '';
  for (;;) {
    const job = await io.api.request<JobView>('GET', `/api/v1/links/${enc(linkId)}/bootstrap`);
    const line = progressLine(job);
    if (show && line !== last) {
      io.err(io.interactive ? `\r\u001b[2K${line}` : `  … ${line}\n`);
      last = line;
    }
    if (FINISHED.has(job.status)) {
      if (show && io.interactive) io.err('\n');
      return job;
    }
    if (io.now() - started >= timeoutMs) {
      if (show && io.interactive) io.err('\n');
      io.err(
        `still ${job.status} after ${timeoutMs / 1000} s; follow it with: bridge bootstrap status ${linkId}\n`,
      );
      return undefined;
    }
    await io.sleep(POLL_MS);
  }
}

const exitOf = (job: JobView) =>
  job.status === 'succeeded' ? EXIT.ok : job.error?.code === 'rate_limited' ? EXIT.unavailable : EXIT.failure;

const bootstrap: Command = {
  options: { 'no-model': { type: 'boolean' }, 'no-wait': { type: 'boolean' }, timeout: { type: 'string' } },
  args: ['<link>'],
  async run(args, io) {
    const id = need(args, 1, 'link id');
    const timeoutSeconds = Number(stringFlag(args, 'timeout') ?? 600);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
      throw new UsageError('--timeout takes a number of seconds, such as 600');
    const queued = await io.api.request<JobView>('POST', `/api/v1/links/${enc(id)}/bootstrap`, {
      model: args.flags['no-model'] === true ? false : undefined,
    });
    if (args.flags['no-wait']) {
      print(
        io,
        args,
        queued,
        () => `queued bootstrap ${queued.id}; follow it with: bridge bootstrap status ${id}\n`,
      );
      return EXIT.ok;
    }
    const job = await follow(io, id, timeoutSeconds * 1000, !args.flags.json);
    if (!job) return EXIT.unavailable;
    print(io, args, job, () => describe(id, job));
    return exitOf(job);
  },
};

const status: Command = {
  options: {},
  args: ['<link>'],
  async run(args, io) {
    const id = need(args, 2, 'link id');
    const job = await io.api.request<JobView | null | undefined>('GET', `/api/v1/links/${enc(id)}/bootstrap`);
    if (!job) {
      print(
        io,
        args,
        null,
        () => `link ${id} has no bootstrap job; start one with: bridge bootstrap ${id}\n`,
      );
      return EXIT.ok;
    }
    print(io, args, job, () => `${progressLine(job)}\n${describe(id, job)}`);
    return FINISHED.has(job.status) ? exitOf(job) : EXIT.ok;
  },
};

const cancel: Command = {
  options: {},
  args: ['<link>'],
  async run(args, io) {
    const id = need(args, 2, 'link id');
    const job = await io.api.request<JobView>('POST', `/api/v1/links/${enc(id)}/bootstrap/cancel`);
    print(io, args, job, () =>
      job.status === 'cancelled'
        ? 'Bootstrap cancelled; nothing was written.\n'
        : 'Cancel requested: the bootstrap stops before it writes anything.\n',
    );
    return EXIT.ok;
  },
};

export const BOOTSTRAP_COMMANDS: Record<string, Command> = {
  bootstrap,
  'bootstrap status': status,
  'bootstrap cancel': cancel,
};
