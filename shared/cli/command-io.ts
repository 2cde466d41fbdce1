import type { ApiClient } from './api-client.ts';
import type { ParsedArgs } from './args.ts';

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

export type Command = (args: ParsedArgs, io: CommandIo) => Promise<number>;
