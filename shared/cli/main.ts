import { setTimeout as delay } from 'node:timers/promises';
import { settingsTable } from '../config/index.ts';
import { isAppError } from '../errors/index.ts';
import { ApiError, createApiClient, EXIT } from './api-client.ts';
import { COMMON_OPTIONS, commandWords, parseCommandLine, stringFlag, UsageError } from './args.ts';
import { allOptions, COMMANDS } from './commands.ts';

export const HELP = `bridge — Integration Bridge (design in Google Drive ⇄ architecture-as-code in GitHub)

Usage:
  bridge serve                               run every function in one process on $PORT (default 8080)
  bridge link add --repo URL --design URL [--branch B] [--policy NAME=VALUE]... [--direct]
  bridge link set <link> [--policy NAME=VALUE]... [--branch B] [--mode sync|report-only]
  bridge link list | show <link> | rm <link>
  bridge sync <link> [--wait [--timeout SECONDS]] [--direction both|design-to-definitions|definitions-to-design]
                     [--dry-run]             --wait prints the changes, the commit or pull request and the
                                             conflicts opened; --dry-run waits and prints the plan
  bridge status [<link>]                     links at a glance, or one link in a few lines
  bridge op <operation>                      one operation (sync run)
  bridge conflicts <link> [--state open|settled|all] [--kind removal|field|version|add-add]
  bridge conflicts suggest <link> <conflict> [--apply]
                                             the suggested resolution and why (the policy's rule, or a
                                             model's proposal that passed the same checks); --apply
                                             then resolves the conflict with it
  bridge resolve <link> <conflict> --take design|definitions|value [--value JSON]
  bridge resolve <link> --all --take design|definitions [--kind removal|field|version|add-add]
                                             settle every open conflict (of a kind) at once, one sync
  bridge drift <link>                        each drift finding's message
  bridge bootstrap <link> [--no-model] [--no-wait] [--timeout SECONDS]
                                             propose definitions for a repository that has none (a pull
                                             request), following its progress on one line
  bridge bootstrap status|cancel <link>      the bootstrap's progress and result; stop it before it writes
  bridge deliveries [<delivery-id>] [--outcome received|published|ignored|dropped-own-commit]
                                             GitHub webhook deliveries, latest first, or one (admin)
  bridge dead-letters [replay <id>]          failed messages (admin)
  bridge keys [list | create --tenant T [--name N] [--tier standard|admin] | revoke <id>]   (admin)
  bridge grants [list | show <tenant> | refused]    what tenants may reach with the bridge's own GitHub
                                             and Google credentials or on this machine; links they no
                                             longer can (admin)
  bridge grants add|rm <tenant> --owner LOGIN | --installation ID | --local-path FOLDER
                                | --drive-file FILE_ID | --drive-folder FOLDER_ID   (admin)
  bridge notify [list | rm <id> | test <id>]  the tenant's notification subscriptions
  bridge notify add --slack URL | --webhook URL [--secret KEY] | --github-issue N --link <link>
                    [--link <link>] [--trigger T]...   T: sync-failed, conflict-opened, removal-pending,
                                             drift-found, health-degraded, health-recovered, credentials-rejected, ai-usage
  bridge config                              the settings (environment variables)
  bridge topology                            topics, functions and push subscriptions as terraform/topology.json

Policy names (link add, link set): writes=pull-request|direct, onConflict=design-wins|definitions-wins|manual,
  onRemoval=manual|propagate, versions=higher-wins|conflict, maxDeletePercent=0..100, mode=sync|report-only.
  Each command takes only its own options (and the ones below); anything else is a usage error.

Options for API commands:
  --url URL      bridge address (env BRIDGE_URL, default http://localhost:8080)
  --token TOKEN  API key or admin token (env BRIDGE_TOKEN, else BRIDGE_ADMIN_TOKEN)
  --json         machine-readable output

Exit codes: 0 ok, 1 failure, 2 usage or invalid input, 3 auth, 4 not found, 5 conflict or failed sync,
            6 unavailable (unreachable, rate limited, server error, --wait timed out).
`;

export interface MainIo {
  out: (text: string) => void;
  err: (text: string) => void;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for `sync --wait --timeout` (milliseconds). */
  now?: () => number;
}

const defaultIo: MainIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Runs a CLI command; returns the exit code, or -1 for `serve` (which keeps running). */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: MainIo = defaultIo,
): Promise<number> {
  let token: string | undefined;
  try {
    const words = commandWords(argv, allOptions(COMMON_OPTIONS));
    const [first, second] = words;
    if (!first || first === 'help' || argv.includes('--help')) {
      io.out(HELP);
      return EXIT.ok;
    }
    if (first === 'serve' || first === 'config' || first === 'topology') {
      parseCommandLine(argv, {}, first);
      if (words.length > 1) throw new UsageError(`"bridge ${first}" takes no arguments`);
      if (first === 'config') {
        io.out(`${settingsTable()}\n`);
        return EXIT.ok;
      }
      if (first === 'topology') {
        const { terraformTopologyJson } = await import('../topology/index.ts');
        io.out(terraformTopologyJson());
        return EXIT.ok;
      }
      const { serve } = await import('../edge/serve.ts');
      await serve(env);
      return -1;
    }
    const name = COMMANDS[`${first} ${second ?? ''}`] ? `${first} ${second}` : first;
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${[first, second].filter(Boolean).join(' ')}"`);
    const args = parseCommandLine(argv, { ...COMMON_OPTIONS, ...command.options }, name);
    const extra = args.positionals.slice(name.split(' ').length + command.args.length);
    if (extra.length > 0) {
      const usage = [`bridge ${name}`, ...command.args].join(' ');
      throw new UsageError(`unexpected argument "${extra[0]}" (usage: ${usage})`);
    }
    const url = bridgeUrl(
      stringFlag(args, 'url') ?? env.BRIDGE_URL ?? `http://localhost:${env.PORT ?? 8080}`,
    );
    token = stringFlag(args, 'token') ?? env.BRIDGE_TOKEN ?? env.BRIDGE_ADMIN_TOKEN;
    const api = createApiClient(url, token, io.fetch);
    return await command.run(args, {
      api,
      out: io.out,
      err: io.err,
      sleep: io.sleep ?? ((ms) => delay(ms)),
      now: io.now ?? (() => Date.now()),
      interactive: Boolean(process.stderr.isTTY),
    });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`bridge: ${err.message}\nRun "bridge --help" for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof ApiError) {
      const hint = err.status === 401 && !token ? '; give a token with --token or BRIDGE_TOKEN' : '';
      io.err(`bridge: ${err.message} (${err.code})${hint}\n`);
      return err.exitCode;
    }
    const message = isAppError(err) ? err.message : err instanceof Error ? err.message : String(err);
    io.err(`bridge: ${message}\n`);
    return EXIT.failure;
  }
}

/** The API base URL: http(s) only, and no credentials in it (they would end up in messages). */
function bridgeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('--url (or BRIDGE_URL) must be an absolute URL such as http://localhost:8080');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('--url (or BRIDGE_URL) must be an http:// or https:// URL');
  }
  if (url.username || url.password) {
    throw new UsageError('--url (or BRIDGE_URL) must not contain credentials; give the token with --token');
  }
  return url.href;
}
