import { settingsTable } from '../config/index.ts';
import { isAppError } from '../errors/index.ts';

const HELP = `bridge — Integration Bridge (design in Google Drive ⇄ architecture-as-code in GitHub)

Usage:
  bridge serve                 run every function in one process on $PORT (default 8080)
  bridge config [--markdown]   list the settings (environment variables)
  bridge --help                this text

Environment: see \`bridge config\`. Data lives in $BRIDGE_DATA_DIR (default .bridge).
`;

/** Runs a CLI command; returns the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return 0;
      case 'serve': {
        const { serve } = await import('./serve.ts');
        await serve(env);
        return -1; // keeps running
      }
      case 'config':
        process.stdout.write(`${settingsTable()}\n`);
        return rest.length > 1 ? 2 : 0;
      default:
        process.stderr.write(`bridge: unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    const message = isAppError(err) ? err.message : err instanceof Error ? err.message : String(err);
    process.stderr.write(`bridge: ${message}\n`);
    return 1;
  }
}
