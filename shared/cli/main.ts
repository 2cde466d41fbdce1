import { setTimeout as delay } from 'node:timers/promises';
import { settingsTable } from '../config/index.ts';
import { isAppError } from '../errors/index.ts';
import { ApiError, createApiClient, EXIT } from './api-client.ts';
import { parseArgs, stringFlag, UsageError } from './args.ts';
import { COMMANDS } from './commands.ts';

export const HELP = `bridge — Integration Bridge (design in Google Drive ⇄ architecture-as-code in GitHub)

Usage:
  bridge serve                               run every function in one process on $PORT (default 8080)
  bridge link add --repo URL --design URL [--branch B] [--direct]
  bridge link list | show <link> | rm <link>
  bridge sync <link> [--wait] [--direction both|design-to-definitions|definitions-to-design] [--dry-run]
  bridge status [<link>]                     links at a glance, or one link's sync status
  bridge op <operation>                      one operation (sync run)
  bridge conflicts <link> [--state open|settled]
  bridge resolve <link> <conflict> --take design|definitions|value [--value JSON]
  bridge drift <link>
  bridge deliveries <delivery-id>            a GitHub webhook delivery (admin)
  bridge dead-letters [replay <id>]          failed messages (admin)
  bridge keys [list | create --tenant T [--name N] | revoke <id>]   API keys (admin)
  bridge config                              the settings (environment variables)

Options for API commands:
  --url URL      bridge address (env BRIDGE_URL, default http://localhost:8080)
  --token TOKEN  API key or admin token (env BRIDGE_TOKEN, else BRIDGE_ADMIN_TOKEN)
  --json         machine-readable output

Exit codes: 0 ok, 1 failure, 2 usage, 3 auth, 4 not found, 5 conflict or failed sync, 6 unavailable.
`;

export interface MainIo {
  out: (text: string) => void;
  err: (text: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const defaultIo: MainIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Runs a CLI command; returns the exit code, or -1 for `serve` (which keeps running). */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: MainIo = defaultIo,
): Promise<number> {
  try {
    const args = parseArgs(argv);
    const [first, second] = args.positionals;
    if (!first || first === 'help' || args.flags.help) {
      io.out(HELP);
      return EXIT.ok;
    }
    if (first === 'serve') {
      const { serve } = await import('./serve.ts');
      await serve(env);
      return -1;
    }
    if (first === 'config') {
      io.out(`${settingsTable()}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS[`${first} ${second ?? ''}`] ?? COMMANDS[first];
    if (!command) throw new UsageError(`unknown command "${[first, second].filter(Boolean).join(' ')}"`);
    const url = stringFlag(args, 'url') ?? env.BRIDGE_URL ?? `http://localhost:${env.PORT ?? 8080}`;
    const token = stringFlag(args, 'token') ?? env.BRIDGE_TOKEN ?? env.BRIDGE_ADMIN_TOKEN;
    const api = createApiClient(url, token, io.fetch);
    return await command(args, {
      api,
      out: io.out,
      err: io.err,
      sleep: io.sleep ?? ((ms) => delay(ms)),
      interactive: Boolean(process.stderr.isTTY),
    });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`bridge: ${err.message}\nRun "bridge --help" for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof ApiError) {
      io.err(`bridge: ${err.message} (${err.code})\n`);
      return err.exitCode;
    }
    const message = isAppError(err) ? err.message : err instanceof Error ? err.message : String(err);
    io.err(`bridge: ${message}\n`);
    return EXIT.failure;
  }
}
