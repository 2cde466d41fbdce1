import { COLLECTIONS, type Operation } from '../shared/records/index.ts';
import { startLoopbackDrive } from '../test/support/loopback-drive/index.ts';
import { startLoopbackGithub } from '../test/support/loopback-github/index.ts';
import { repoFiles, services } from '../test/sync/support.ts';
import { seedSyncedLinks } from './lib/seed-links.ts';
import { pushHeaders } from './lib/signed-push.ts';
import { type BenchBridge, startBenchBridge } from './lib/start-bridge.ts';
import {
  benchDesignText,
  GITHUB_TOKEN,
  GOOGLE_TOKEN,
  loopbackEnv,
  WEBHOOK_SECRET,
} from './lib/sync-fixture.ts';

export interface BusThroughputOptions {
  links: number;
  /** Concurrent webhook senders. */
  concurrency: number;
  /** Messages for the bus-only measurement. */
  busMessages: number;
}

export interface BusThroughputResult {
  links: number;
  events: number;
  /** Webhook accepted (202) per second while sending. */
  ingressEventsPerSecond: number;
  /** Events through ingress → bus → worker (link resolved, both sides read, nothing to write, operation recorded) per second. */
  pipelineEventsPerSecond: number;
  pipelineMs: number;
  /** Operations recorded with outcome `no-changes` (must equal `events`). */
  noChangeOperations: number;
  /** The embedded bus alone: publish → deliver to a handler that does nothing. */
  busOnly: { messages: number; messagesPerSecond: number };
  note: string;
}

const repoName = (i: number) => `acme/svc-repo-${String(i).padStart(4, '0')}`;
const fileName = (i: number) => `design-${String(i).padStart(4, '0')}`;

/**
 * Events per second through the whole local pipeline with `links` links: one signed push per link,
 * each resolving to its link, whose sync then finds nothing changed (positions equal the loopbacks'
 * head and Drive revision) — so the figure is ingress + bus + worker + both provider reads + state,
 * not the cost of writing commits.
 */
export async function runBusThroughputBench(options: BusThroughputOptions): Promise<BusThroughputResult> {
  const files = repoFiles(services());
  const repos: Record<string, { files: Record<string, string> }> = {};
  const driveFiles: Record<string, { name: string; content: string }> = {};
  const design = benchDesignText(0);
  for (let i = 0; i < options.links; i++) {
    repos[repoName(i)] = { files };
    driveFiles[fileName(i)] = { name: 'architecture.json', content: design };
  }
  const github = await startLoopbackGithub({ repos, auth: { tokens: [GITHUB_TOKEN] }, validate: false });
  const drive = await startLoopbackDrive({ files: driveFiles, accessToken: GOOGLE_TOKEN, autoNotify: false });
  let bridge: BenchBridge | undefined;
  try {
    bridge = await startBenchBridge(loopbackEnv(github.url, drive.url));
    const links = await seedSyncedLinks(
      bridge,
      github,
      drive,
      Array.from({ length: options.links }, (_, i) => ({ repo: repoName(i), fileId: fileName(i) })),
    );
    const b = bridge;
    const url = `${b.url}/github/webhook`;
    const start = performance.now();
    let next = 0;
    const sender = async () => {
      while (next < links.length) {
        const link = links[next++]!;
        const body = JSON.stringify({
          ref: 'refs/heads/main',
          after: link.headSha,
          repository: { full_name: link.repo },
          commits: [{ id: link.headSha, message: 'Edit definitions by hand' }],
          head_commit: { id: link.headSha, message: 'Edit definitions by hand' },
        });
        const response = await fetch(url, {
          method: 'POST',
          headers: pushHeaders(body, WEBHOOK_SECRET, `bus-${link.id}`),
          body,
        });
        await response.arrayBuffer();
        if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, sender));
    const accepted = performance.now();
    await b.idle();
    const done = performance.now();
    const ops = await b.ctx.state.query<Operation>(COLLECTIONS.operations, {
      where: [['outcome', '==', 'no-changes']],
    });
    if (ops.length !== links.length) {
      throw new Error(
        `expected ${links.length} no-change operations, found ${ops.length}: ${b.warnings.join('\n')}`,
      );
    }
    return {
      links: options.links,
      events: links.length,
      ingressEventsPerSecond: links.length / ((accepted - start) / 1000),
      pipelineEventsPerSecond: links.length / ((done - start) / 1000),
      pipelineMs: done - start,
      noChangeOperations: ops.length,
      busOnly: await busOnly(b, options.busMessages),
      note:
        'each event resolves to one of the links and runs a real sync that reads both loopback sides and ' +
        'finds nothing changed (no commit, no Drive write); bus delivers with its default concurrency',
    };
  } finally {
    await bridge?.close();
    await github.close();
    await drive.close();
  }
}

/** The embedded bus by itself: durable publish, then delivery to a handler that does nothing. */
async function busOnly(bridge: BenchBridge, messages: number): Promise<BusThroughputResult['busOnly']> {
  const bus = bridge.ctx.bus;
  if (!bus) throw new Error('the local backend has an embedded bus');
  let delivered = 0;
  bus.subscribe('bench-noop', async () => {
    delivered++;
  });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: messages }, (_, i) =>
      bus.publish('bench-noop', { i }, { orderingKey: `key-${i % 16}` }),
    ),
  );
  await bus.idle();
  const ms = performance.now() - start;
  if (delivered !== messages) throw new Error(`bus delivered ${delivered} of ${messages}`);
  return { messages, messagesPerSecond: messages / (ms / 1000) };
}
