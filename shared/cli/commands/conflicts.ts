import { EXIT } from '../api-client.ts';
import { stringFlag, UsageError } from '../args.ts';
import { type Command, enc, need, type Page, plural, print } from '../command.ts';
import { table } from '../format.ts';
import { SUGGEST_COMMANDS } from './suggest.ts';

const CONFLICT_COLUMNS = ['id', 'serviceId', 'field', 'kind', 'base', 'design', 'definitions', 'resolution'];

const conflicts: Command = {
  options: { state: { type: 'string' }, kind: { type: 'string' } },
  args: ['<link>'],
  async run(args, io) {
    const id = need(args, 1, 'link id');
    const state = stringFlag(args, 'state') ?? 'open';
    const kind = stringFlag(args, 'kind');
    const query = [
      state === 'all' ? '' : `state=${enc(state)}`,
      kind ? `kind=${enc(kind)}` : '',
      'pageSize=100',
    ]
      .filter(Boolean)
      .join('&');
    const page = await io.api.request<Page>('GET', `/api/v1/links/${enc(id)}/conflicts?${query}`);
    print(io, args, page, () => {
      const rows = table(page.items, CONFLICT_COLUMNS);
      const total = page.total ?? page.items.length;
      return total > page.items.length
        ? `${rows}(${page.items.length} of ${total} shown, newest first; --json for machine output)\n`
        : rows;
    });
    return EXIT.ok;
  },
};

interface BulkResult {
  settled: number;
  failed: number;
  remaining: number;
  errors?: Array<{ conflictId: string; message: string }>;
  operationId?: string;
}

/** `resolve <link> --all --take design|definitions [--kind K]`: every open conflict at once. */
async function resolveAll(
  args: Parameters<Command['run']>[0],
  io: Parameters<Command['run']>[1],
  link: string,
) {
  if (args.positionals[2]) throw new UsageError('give a conflict id or --all, not both');
  const take = stringFlag(args, 'take');
  if (take !== 'design' && take !== 'definitions') {
    throw new UsageError(
      '--all takes --take design or --take definitions (one value cannot fit every conflict)',
    );
  }
  if (stringFlag(args, 'value') !== undefined)
    throw new UsageError('--value goes with one conflict, not --all');
  const kind = stringFlag(args, 'kind');
  const result = await io.api.request<BulkResult>('POST', `/api/v1/links/${enc(link)}/conflicts/resolve`, {
    take,
    kind,
  });
  print(io, args, result, () => {
    const what = kind ? plural(result.settled, `${kind} conflict`) : plural(result.settled, 'conflict');
    const lines = [
      `settled ${what} with the ${take} side${result.operationId ? `; sync ${result.operationId} queued` : ''}`,
    ];
    for (const e of result.errors ?? []) lines.push(`  not settled: ${e.conflictId}: ${e.message}`);
    if (result.remaining > 0) lines.push(`${result.remaining} still open (bridge conflicts ${link})`);
    return `${lines.join('\n')}\n`;
  });
  return result.failed > 0 ? EXIT.conflict : EXIT.ok;
}

const resolve: Command = {
  options: {
    take: { type: 'string' },
    value: { type: 'string' },
    all: { type: 'boolean' },
    kind: { type: 'string' },
  },
  args: ['<link>', '<conflict>', '[take]'],
  async run(args, io) {
    const link = need(args, 1, 'link id');
    if (args.flags.all) return resolveAll(args, io, link);
    if (stringFlag(args, 'kind') !== undefined) throw new UsageError('--kind goes with --all');
    const conflict = need(args, 2, 'conflict id (or --all)');
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
  },
};

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export const CONFLICT_COMMANDS: Record<string, Command> = { conflicts, resolve, ...SUGGEST_COMMANDS };
