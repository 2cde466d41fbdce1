import { parseArgs as parseNodeArgs } from 'node:util';

/** The options one command takes, in `node:util` parseArgs form. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export interface ParsedArgs {
  /** Every positional, the command's own words first (`link`, `add`, …). */
  positionals: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

/** Options every API command takes. */
export const COMMON_OPTIONS: OptionSpec = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
};

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The name an option error is about (`--url`), from node's message. */
function optionIn(message: string): string {
  return /'(--?[^' <]+)/.exec(message)?.[1] ?? 'an option';
}

/**
 * Parses `argv` strictly against one command's options: an option the command does not take, a
 * value for a flag, or a missing value is a usage error, never silently ignored.
 */
export function parseCommandLine(argv: string[], options: OptionSpec, command: string): ParsedArgs {
  try {
    const { values, positionals } = parseNodeArgs({
      args: argv,
      options,
      strict: true,
      allowPositionals: true,
    });
    return { positionals, flags: values as ParsedArgs['flags'] };
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    const name = optionIn(message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const taken = Object.keys(options)
        .filter((o) => o !== 'help')
        .map((o) => `--${o}`)
        .join(', ');
      throw new UsageError(
        `unknown option ${name} for "bridge ${command}" (it takes ${taken || 'no options'})`,
      );
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(
        /does not take an argument/.test(message) ? `${name} takes no value` : `${name} needs a value`,
      );
    }
    throw new UsageError(message);
  }
}

/** The positionals of `argv` when any of `options` may appear, to find which command is meant. */
export function commandWords(argv: string[], options: OptionSpec): string[] {
  return parseNodeArgs({ args: argv, options, strict: false, allowPositionals: true }).positionals;
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function listFlag(args: ParsedArgs, name: string): string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/**
 * `--policy name=value` pairs as a policy object. Numbers stay numbers (`maxDeletePercent=30`); the
 * API validates the names and values and says which one is wrong.
 */
export function policyPairs(pairs: string[]): Record<string, string | number> | undefined {
  if (pairs.length === 0) return undefined;
  const policy: Record<string, string | number> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(pair);
    if (!m) throw new UsageError(`--policy takes name=value, such as writes=direct (got "${pair}")`);
    const [, name = '', value = ''] = m;
    policy[name] = /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return policy;
}
