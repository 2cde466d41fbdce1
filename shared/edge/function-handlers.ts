import type { AppContext } from '../context/index.ts';
import type { HttpHandler } from '../http/index.ts';
import type { MessageHandler } from '../ports/index.ts';
import { type FunctionName, TOPIC_SPECS, type TopicName } from '../topology/index.ts';
import { FUNCTION_TABLE, type FunctionHandler, type FunctionHandlerOptions } from './function-table.ts';

export type { FunctionHandlerOptions } from './function-table.ts';

export interface FunctionHandlers {
  githubWebhook: HttpHandler;
  driveNotifications: HttpHandler;
  statusApi: HttpHandler;
  /**
   * Topic → its consumer's handler (shared/topology), for the embedded bus; on GCP the same handlers
   * sit behind the push endpoints of the sync-worker and scheduler functions.
   */
  subscriptions: Record<TopicName, MessageHandler>;
  close(): Promise<void>;
}

/** Every function of FUNCTION_TABLE in this process: the local server's routes and the bus's subscribers. */
export async function createFunctionHandlers(
  ctx: AppContext,
  options: FunctionHandlerOptions = {},
): Promise<FunctionHandlers> {
  const names = Object.keys(FUNCTION_TABLE) as FunctionName[];
  const built = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await FUNCTION_TABLE[name](ctx, options)] as const)),
  ) as Record<FunctionName, FunctionHandler>;
  const http = (name: FunctionName): HttpHandler => {
    const f = built[name];
    if (f.kind !== 'http') throw new Error(`${name} is not an HTTP function`);
    return f.handler;
  };
  const push = (name: FunctionName): MessageHandler => {
    const f = built[name];
    if (f.kind !== 'push') throw new Error(`${name} is not a push consumer`);
    return f.handler;
  };
  const subscriptions = Object.fromEntries(
    Object.entries(TOPIC_SPECS).map(([topic, spec]) => [topic, push(spec.consumer)]),
  ) as Record<TopicName, MessageHandler>;
  return {
    githubWebhook: http('github-webhook'),
    driveNotifications: http('drive-notifications'),
    statusApi: http('status-api'),
    subscriptions,
    close: async () => {},
  };
}
