/** Minimal flag parser: `--name value`, `--name=value`, boolean `--flag`, positionals. */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(['json', 'wait', 'dry-run', 'help', 'markdown', 'direct']);
const VALUE_FLAGS = new Set([
  'url',
  'token',
  'repo',
  'design',
  'branch',
  'direction',
  'timeout',
  'state',
  'take',
  'value',
  'tenant',
  'name',
  'tier',
  'outcome',
  'owner',
  'installation',
  'local-path',
  'drive-file',
  'drive-folder',
]);

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    // A mistyped option must not silently swallow the next argument or be ignored.
    if (!BOOLEAN_FLAGS.has(name) && !VALUE_FLAGS.has(name)) throw new UsageError(`unknown option --${name}`);
    if (inline !== undefined) flags[name] = inline;
    else if (BOOLEAN_FLAGS.has(name)) flags[name] = true;
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags[name] = next;
      i++;
    }
  }
  return { positionals, flags };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}
