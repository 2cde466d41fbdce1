import type { AppContext } from '../app/index.ts';
import type { MessageHandler } from '../ports/index.ts';

// Placeholder until the scheduler lands: nacks so nothing is acknowledged without being handled.
export function createScheduler(_ctx: AppContext): MessageHandler {
  return async () => {
    throw new Error('scheduler not implemented yet');
  };
}
