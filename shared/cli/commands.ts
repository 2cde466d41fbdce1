import type { OptionSpec } from './args.ts';
import type { Command } from './command.ts';
import { ADMIN_COMMANDS } from './commands/admin.ts';
import { BOOTSTRAP_COMMANDS } from './commands/bootstrap.ts';
import { CONFLICT_COMMANDS } from './commands/conflicts.ts';
import { GRANT_COMMANDS } from './commands/grants.ts';
import { LINK_COMMANDS } from './commands/links.ts';
import { NOTIFY_COMMANDS } from './commands/notify.ts';
import { REPORT_COMMANDS } from './commands/reports.ts';
import { SYNC_COMMANDS } from './commands/sync.ts';

/** Every API command by its words (`link add`, `sync`); each declares the options it takes. */
export const COMMANDS: Record<string, Command> = {
  ...LINK_COMMANDS,
  ...SYNC_COMMANDS,
  ...REPORT_COMMANDS,
  ...CONFLICT_COMMANDS,
  ...ADMIN_COMMANDS,
  ...GRANT_COMMANDS,
  ...NOTIFY_COMMANDS,
  ...BOOTSTRAP_COMMANDS,
};

/** Every option any command takes: enough to tell an option's value from a command word. */
export function allOptions(common: OptionSpec): OptionSpec {
  return Object.assign({}, common, ...Object.values(COMMANDS).map((c) => c.options));
}
