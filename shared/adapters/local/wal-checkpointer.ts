import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * Writers' connections checkpoint only past this many WAL pages (a backstop; SQLite's default is
 * 1000) when a checkpointer runs for their file.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread every `intervalMs`: the page copies and
 * fsyncs a commit would otherwise pay for every 1000 pages (about 30% of a webhook's SQLite time, and
 * the latency spikes) leave the event loop. Durability is unchanged: a commit is in the WAL either way.
 */
export function startWalCheckpointer(file: string, intervalMs = 100): WalCheckpointer {
  const worker = new Worker(new URL('./wal-checkpoint-worker.ts', import.meta.url), {
    workerData: { file, intervalMs },
  });
  worker.unref();
  const exited = once(worker, 'exit');
  return {
    async stop() {
      worker.postMessage('stop');
      await exited;
    },
  };
}
