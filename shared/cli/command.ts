import type { ApiClient } from './api-client.ts';
import { type OptionSpec, type ParsedArgs, UsageError } from './args.ts';

export interface CommandIo {
  api: ApiClient;
  out: (text: string) => void;
  err: (text: string) => void;
  /** For `sync --wait` progress; injected so tests need no real timers. */
  sleep: (ms: number) => Promise<void>;
  /** Milliseconds clock for the `--wait` timeout; injected with `sleep`. */
  now: () => number;
  interactive: boolean;
}

export interface Command {
  /** The command's own options (the common ones, --url --token --json, come on top). */
  options: OptionSpec;
  /** Names of the positionals after the command's words, for messages; more are refused. */
  args: string[];
  run: (args: ParsedArgs, io: CommandIo) => Promise<number>;
}

export type Page = { items: Array<Record<string, unknown>>; nextPageToken?: string; total?: number };

export const enc = encodeURIComponent;

/** The positional at `index` (counting the command's words), or a usage error naming it. */
export function need(args: ParsedArgs, index: number, what: string): string {
  const v = args.positionals[index];
  if (!v) throw new UsageError(`missing ${what}`);
  return v;
}

/** JSON for `--json`, else the text for people. */
export function print(io: CommandIo, args: ParsedArgs, value: unknown, human: () => string): void {
  io.out(args.flags.json ? `${JSON.stringify(value, null, 2)}\n` : human());
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
