/** Messages between the bench and a server it forked (see lib/server-process.ts). */
export type ParentMessage = { id: number; type: 'idle' | 'stats' | 'close' };
export type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'reply'; id: number; maxRssBytes?: number; cpuMicros?: number }
  | { type: 'failed'; message: string };

export interface ServedProcess {
  url: string;
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Runs in the forked server: announces its URL, then answers the parent's idle/stats/close requests. */
export async function serveIpc(start: () => Promise<ServedProcess>): Promise<void> {
  const send = (message: ChildMessage) => process.send?.(message);
  let served: ServedProcess;
  try {
    served = await start();
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  process.on('message', (message: ParentMessage) => {
    void (async () => {
      if (message.type === 'idle') await served.idle();
      if (message.type === 'close') {
        await served.close();
        send({ type: 'reply', id: message.id });
        process.disconnect();
        return;
      }
      // maxRSS is in kilobytes (getrusage); CPU time covers every thread of the process.
      const usage = process.resourceUsage();
      send({
        type: 'reply',
        id: message.id,
        maxRssBytes: usage.maxRSS * 1024,
        cpuMicros: usage.userCPUTime + usage.systemCPUTime,
      });
    })();
  });
  send({ type: 'ready', url: served.url });
}
