import type { AppContext } from '../app/index.ts';
import type { MessageHandler } from '../ports/index.ts';

// Placeholder until the sync engine lands: nacks so nothing is acknowledged without being handled.
export function createSyncWorker(_ctx: AppContext): MessageHandler {
  return async () => {
    throw new Error('sync worker not implemented yet');
  };
}
