import { EXIT } from './api-client.ts';
import { type ParsedArgs, stringFlag, UsageError } from './args.ts';
import type { Command, CommandIo } from './command-io.ts';
import { table } from './format.ts';
import { grants } from './grant-commands.ts';

export type { CommandIo } from './command-io.ts';

const need = (args: ParsedArgs, index: number, what: string): string => {
  const v = args.positionals[index];
  if (!v) throw new UsageError(`missing ${what}`);
  return v;
};

const print = (io: CommandIo, args: ParsedArgs, value: unknown, human: () => string) => {
  io.out(args.flags.json ? `${JSON.stringify(value, null, 2)}\n` : human());
};

type Page = { items: Array<Record<string, unknown>> };

const linkAdd: Command = async (args, io) => {
  const repo = stringFlag(args, 'repo') ?? need(args, 2, '--repo <url>');
  const design = stringFlag(args, 'design') ?? need(args, 3, '--design <url>');
  const branch = stringFlag(args, 'branch');
  const policy = args.flags.direct ? { writes: 'direct' } : undefined;
  const link = await io.api.request<Record<string, unknown>>('POST', '/api/v1/links', {
    repo,
    design,
    branch,
    policy,
  });
  print(io, args, link, () => `created link ${link.id} (${link.repo}@${link.branch} ⇄ ${link.design})\n`);
  return EXIT.ok;
};

const linkList: Command = async (args, io) => {
  const page = await io.api.request<Page>('GET', '/api/v1/links?pageSize=100');
  print(io, args, page, () =>
    table(page.items, ['id', 'status', 'repo', 'branch', 'design', 'openConflicts']),
  );
  return EXIT.ok;
};

const linkShow: Command = async (args, io) => {
  const link = await io.api.request<Record<string, unknown>>(
    'GET',
    `/api/v1/links/${enc(need(args, 2, 'link id'))}`,
  );
  print(
    io,
    args,
    link,
    () =>
      `${Object.entries(link)
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
        .join('\n')}\n`,
  );
  return EXIT.ok;
};

const linkRm: Command = async (args, io) => {
  const id = need(args, 2, 'link id');
  await io.api.request('DELETE', `/api/v1/links/${enc(id)}`);
  print(io, args, { deleted: id }, () => `deleted link ${id}\n`);
  return EXIT.ok;
};

const sync: Command = async (args, io) => {
  const id = need(args, 1, 'link id');
  const body = {
    direction: stringFlag(args, 'direction'),
    dryRun: args.flags['dry-run'] === true || undefined,
  };
  const timeoutSeconds = Number(stringFlag(args, 'timeout') ?? 300);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new UsageError('--timeout takes a number of seconds, such as 300');
  }
  const queued = await io.api.request<{ operationId: string }>('POST', `/api/v1/links/${enc(id)}/sync`, body);
  if (!args.flags.wait) {
    print(io, args, queued, () => `queued operation ${queued.operationId}\n`);
    return EXIT.ok;
  }
  const timeoutMs = timeoutSeconds * 1000;
  const started = io.now();
  let shown = 0;
  for (;;) {
    const op = await io.api.request<{
      status: string;
      progress?: Array<{ step: string }>;
      outcome?: string;
      error?: { message: string };
    }>('GET', `/api/v1/operations/${enc(queued.operationId)}`);
    if (!args.flags.json) {
      for (const p of (op.progress ?? []).slice(shown)) io.err(`  … ${p.step}\n`);
      shown = op.progress?.length ?? 0;
    }
    if (op.status === 'succeeded' || op.status === 'failed') {
      print(
        io,
        args,
        op,
        () =>
          `${op.status}${op.outcome ? ` (${op.outcome})` : ''}${op.error ? `: ${op.error.message}` : ''}\n`,
      );
      return op.status === 'succeeded' ? EXIT.ok : EXIT.conflict;
    }
    if (io.now() - started >= timeoutMs) {
      io.err(
        `still ${op.status} after ${timeoutMs / 1000} s; follow it with: bridge op ${queued.operationId}\n`,
      );
      return EXIT.unavailable;
    }
    await io.sleep(500);
  }
};

const status: Command = async (args, io) => {
  const id = args.positionals[1];
  if (!id) return linkList(args, io);
  const s = await io.api.request<Record<string, unknown>>('GET', `/api/v1/sync/status?link=${enc(id)}`);
  print(io, args, s, () => table([s], ['linkId', 'status', 'openConflicts', 'lastSync']));
  return EXIT.ok;
};

const conflicts: Command = async (args, io) => {
  const id = need(args, 1, 'link id');
  const state = stringFlag(args, 'state') ?? 'open';
  const filter = state === 'all' ? '' : `state=${enc(state)}&`;
  const page = await io.api.request<Page>('GET', `/api/v1/links/${enc(id)}/conflicts?${filter}pageSize=100`);
  print(io, args, page, () =>
    table(page.items, ['id', 'serviceId', 'field', 'kind', 'base', 'design', 'definitions', 'resolution']),
  );
  return EXIT.ok;
};

const resolve: Command = async (args, io) => {
  const [, link, conflict] = [args.positionals[0], need(args, 1, 'link id'), need(args, 2, 'conflict id')];
  const take = stringFlag(args, 'take') ?? need(args, 3, '--take design|definitions|value');
  const raw = stringFlag(args, 'value');
  const value = raw === undefined ? undefined : parseValue(raw);
  const result = await io.api.request<{ operationId: string }>(
    'POST',
    `/api/v1/links/${enc(link)}/conflicts/${enc(conflict)}/resolve`,
    { take, value },
  );
  print(io, args, result, () => `resolved ${conflict}; sync ${result.operationId} queued\n`);
  return EXIT.ok;
};

const drift: Command = async (args, io) => {
  const report = await io.api.request<{ findings?: Array<Record<string, unknown>> }>(
    'GET',
    `/api/v1/links/${enc(need(args, 1, 'link id'))}/drift`,
  );
  print(io, args, report, () => table(report.findings ?? [], ['kind', 'serviceId', 'detail']));
  return EXIT.ok;
};

const DELIVERY_COLUMNS = [
  'deliveryId',
  'event',
  'action',
  'outcome',
  'timesReceived',
  'firstSeen',
  'lastSeen',
];

/** One delivery by id, or the latest ones (`--outcome received`: those never published). */
const deliveries: Command = async (args, io) => {
  const id = args.positionals[1];
  if (id === undefined) {
    const outcome = stringFlag(args, 'outcome');
    const page = await io.api.request<Page>(
      'GET',
      `/api/v1/deliveries?pageSize=100${outcome ? `&outcome=${enc(outcome)}` : ''}`,
    );
    print(io, args, page, () => table(page.items, DELIVERY_COLUMNS));
    return EXIT.ok;
  }
  const d = await io.api.request<Record<string, unknown>>('GET', `/api/v1/deliveries/${enc(id)}`);
  print(io, args, d, () => table([d], DELIVERY_COLUMNS));
  return EXIT.ok;
};

const deadLetters: Command = async (args, io) => {
  const sub = args.positionals[1] ?? 'list';
  if (sub !== 'list' && sub !== 'replay') throw new UsageError(`unknown dead-letters command "${sub}"`);
  if (sub === 'replay') {
    const id = need(args, 2, 'dead letter id');
    await io.api.request('POST', `/api/v1/dead-letters/${enc(id)}/replay`);
    print(io, args, { replayed: id }, () => `replayed ${id}\n`);
    return EXIT.ok;
  }
  const page = await io.api.request<Page>('GET', '/api/v1/dead-letters?pageSize=100');
  print(io, args, page, () => table(page.items, ['id', 'topic', 'attempts', 'deadAt', 'lastError']));
  return EXIT.ok;
};

const keys: Command = async (args, io) => {
  const sub = args.positionals[1] ?? 'list';
  if (sub === 'create') {
    const tenant = stringFlag(args, 'tenant') ?? need(args, 2, '--tenant <tenant>');
    const key = await io.api.request<Record<string, unknown>>('POST', '/api/v1/keys', {
      tenant,
      name: stringFlag(args, 'name'),
      tier: stringFlag(args, 'tier'),
    });
    print(
      io,
      args,
      key,
      () => `created key ${key.id} for tenant ${key.tenant}\n${key.key}\n(shown once: store it now)\n`,
    );
    return EXIT.ok;
  }
  if (sub === 'revoke' || sub === 'rm') {
    const id = need(args, 2, 'key id');
    await io.api.request('DELETE', `/api/v1/keys/${enc(id)}`);
    print(io, args, { revoked: id }, () => `revoked key ${id}\n`);
    return EXIT.ok;
  }
  if (sub !== 'list') throw new UsageError(`unknown keys command "${sub}"`);
  const page = await io.api.request<Page>('GET', '/api/v1/keys');
  print(io, args, page, () => table(page.items, ['id', 'tenant', 'tier', 'name', 'createdAt', 'revokedAt']));
  return EXIT.ok;
};

const operation: Command = async (args, io) => {
  const op = await io.api.request<Record<string, unknown>>(
    'GET',
    `/api/v1/operations/${enc(need(args, 1, 'operation id'))}`,
  );
  print(io, args, op, () =>
    table([op], ['id', 'status', 'outcome', 'trigger', 'direction', 'durationMs', 'error']),
  );
  return EXIT.ok;
};

export const COMMANDS: Record<string, Command> = {
  'link add': linkAdd,
  'link list': linkList,
  'link ls': linkList,
  'link show': linkShow,
  'link rm': linkRm,
  sync,
  status,
  conflicts,
  resolve,
  drift,
  deliveries,
  'dead-letters': deadLetters,
  keys,
  grants,
  op: operation,
};

function enc(v: string): string {
  return encodeURIComponent(v);
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
