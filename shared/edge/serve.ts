import { createContext } from '../app/index.ts';
import { loadConfig } from '../config/index.ts';
import { startLocalServer } from './index.ts';

/** `bridge serve`: every function in one process on PORT, until SIGINT/SIGTERM. */
export async function serve(env: Record<string, string | undefined>): Promise<void> {
  const config = loadConfig(env);
  const ctx = await createContext(config, { env });
  const server = await startLocalServer(ctx, { host: env.HOST ?? '0.0.0.0' });
  let stopSchedule = () => {};
  if (config.BRIDGE_BACKEND === 'local') {
    const { prepareLocalMode } = await import('./prepare-local-mode.ts');
    stopSchedule = await prepareLocalMode(ctx, server.url);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.logger.info('shutting down', { signal });
    stopSchedule();
    // Cloud Run gives 10 s between SIGTERM and SIGKILL; leave room to close the state store.
    await server.close(8_000);
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
