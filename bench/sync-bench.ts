import { type DesignExport, definitionPath } from '../shared/domain/index.ts';
import type { Link, Operation } from '../shared/records/index.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../test/support/loopback-drive/index.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../test/support/loopback-github/index.ts';
import { pushHeaders } from './lib/signed-push.ts';
import { type BenchBridge, startBenchBridge } from './lib/start-bridge.ts';
import { median, percentile } from './lib/stats.ts';
import {
  benchDesignText,
  benchRepoFiles,
  FILE_ID,
  GITHUB_TOKEN,
  GOOGLE_TOKEN,
  loopbackEnv,
  REPO,
  WEBHOOK_SECRET,
  withVersion,
} from './lib/sync-fixture.ts';
import { waitUntil } from './lib/wait-until.ts';

export interface SyncBenchOptions {
  sizes: number[];
  runs: number;
}

export interface DirectionLatency {
  p50: number;
  p95: number;
  samples: number[];
}

export interface SizeLatency {
  /** Over both directions' samples. */
  p50: number;
  p95: number;
  /** Design edit + `POST /links/{id}/sync` accepted → the loopback GitHub branch moved. */
  designToGithub: DirectionLatency;
  /** Signed push webhook accepted → the loopback Drive file has a new version. */
  githubToDesign: DirectionLatency;
}

export interface OurCalls {
  /** `operation.apiCalls.github` of a design → GitHub sync (median over runs). */
  github: number;
  /** The same sync as counted by the loopback GitHub's request log. */
  githubSeenByLoopback: number;
  drive: number;
  /** GitHub calls of a push-triggered GitHub → design sync (reads only). */
  githubOnPushSync: number;
}

export interface SyncBenchResult {
  e2eLatencyMs: Record<string, SizeLatency>;
  ourCalls: Record<string, OurCalls>;
}

const TIMEOUT_MS = 30_000;

function summarize(samples: number[]): DirectionLatency {
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), samples };
}

/**
 * End-to-end latency and provider calls against loopback GitHub and Drive (real Octokit and Drive
 * clients, in this process, schema validation off so the loopbacks cost little). Each run changes
 * the version of N services, alternately on the design side and on the definitions side.
 */
export async function runSyncBench(options: SyncBenchOptions): Promise<SyncBenchResult> {
  const extra = Math.max(...options.sizes);
  const github = await startLoopbackGithub({
    repos: { [REPO]: { files: benchRepoFiles(extra) } },
    auth: { tokens: [GITHUB_TOKEN] },
    validate: false,
  });
  const drive = await startLoopbackDrive({
    files: { [FILE_ID]: { name: 'architecture.json', content: benchDesignText(extra) } },
    accessToken: GOOGLE_TOKEN,
    autoNotify: false,
  });
  let bridge: BenchBridge | undefined;
  try {
    // GitHub's secondary limit (80 content-creating requests a minute per installation) is paced by
    // the bridge; lifted here, so back-to-back syncs against the loopback measure the bridge's own
    // latency instead of the deliberate wait for a write slot.
    bridge = await startBenchBridge(loopbackEnv(github.url, drive.url), {
      resilience: { githubWritesPerMinute: 1_000_000 },
    });
    const link = await createLink(bridge);
    let counter = 10;
    const e2eLatencyMs: Record<string, SizeLatency> = {};
    const ourCalls: Record<string, OurCalls> = {};
    for (const n of options.sizes) {
      const toGithub: number[] = [];
      const toDesign: number[] = [];
      const calls = {
        github: [] as number[],
        seen: [] as number[],
        drive: [] as number[],
        push: [] as number[],
      };
      for (let run = 0; run < options.runs; run++) {
        const a = await designToGithub(bridge, github, drive, link.id, n, `${counter++}.0.0`);
        toGithub.push(a.ms);
        calls.github.push(a.op.apiCalls.github ?? Number.NaN);
        calls.drive.push(a.op.apiCalls.drive ?? Number.NaN);
        calls.seen.push(a.seen);
        const b = await githubToDesign(bridge, github, drive, n, `${counter++}.0.0`);
        toDesign.push(b.ms);
        calls.push.push(b.githubCalls);
      }
      const both = [...toGithub, ...toDesign];
      e2eLatencyMs[String(n)] = {
        p50: percentile(both, 50),
        p95: percentile(both, 95),
        designToGithub: summarize(toGithub),
        githubToDesign: summarize(toDesign),
      };
      ourCalls[String(n)] = {
        github: median(calls.github),
        githubSeenByLoopback: median(calls.seen),
        drive: median(calls.drive),
        githubOnPushSync: median(calls.push),
      };
    }
    return { e2eLatencyMs, ourCalls };
  } finally {
    await bridge?.close();
    await github.close();
    await drive.close();
  }
}

/**
 * The time `done` first held; when the bridge goes idle without it, or it times out, fails with what
 * the bridge and the loopbacks recorded last.
 */
async function untilOrFailed(
  bridge: BenchBridge,
  done: () => boolean,
  what: string,
  explain: () => Promise<unknown>,
): Promise<number> {
  const seen = waitUntil(done, TIMEOUT_MS, what);
  const idle = bridge.idle().then(() => 'idle' as const);
  const fail = async (why: string): Promise<never> => {
    throw new Error(`${what}: ${why}: ${JSON.stringify(await explain())}\n${bridge.warnings.join('\n')}`);
  };
  const first = await Promise.race([seen, idle]).catch(() => fail('timed out'));
  if (first !== 'idle') {
    await idle;
    return first;
  }
  if (done()) return seen;
  seen.catch(() => {});
  return fail('the bridge went idle without it');
}

/** What the bridge and the loopbacks last saw, for a failure message. */
async function recent(github: LoopbackGithub, drive: LoopbackDrive, record: Promise<unknown>) {
  return {
    record: await record,
    github: github.requests.slice(-3).map((r) => `${r.method} ${r.path} ${r.status}`),
    drive: drive.requests.slice(-3).map((r) => `${r.method} ${r.path} ${r.status ?? 'pending'}`),
  };
}

async function createLink(bridge: BenchBridge): Promise<Link> {
  const created = await bridge.api<Link>('POST', '/api/v1/links', {
    repo: `https://github.com/${REPO}`,
    design: `https://drive.google.com/file/d/${FILE_ID}/view`,
    policy: { writes: 'direct' },
  });
  if (created.status !== 201) throw new Error(`link not created: ${JSON.stringify(created.body)}`);
  await bridge.idle();
  return created.body;
}

async function designToGithub(
  bridge: BenchBridge,
  github: LoopbackGithub,
  drive: LoopbackDrive,
  linkId: string,
  n: number,
  version: string,
): Promise<{ ms: number; op: Operation; seen: number }> {
  const design = JSON.parse(drive.file(FILE_ID)?.content ?? '{}') as DesignExport;
  for (let i = 0; i < n; i++) {
    const c = design.components.find((x) => x.service_id === `svc-${i}`);
    if (!c) throw new Error(`no component svc-${i}`);
    c.version = version;
  }
  drive.setContent(FILE_ID, JSON.stringify(design, null, 2));
  const repo = github.repo(REPO);
  const before = repo.head('main');
  const requestsBefore = github.requests.length;
  const start = performance.now();
  const queued = await bridge.api<{ operationId: string }>('POST', `/api/v1/links/${linkId}/sync`, {});
  if (queued.status !== 202) throw new Error(`sync not queued: ${JSON.stringify(queued.body)}`);
  const end = await untilOrFailed(
    bridge,
    () => repo.head('main') !== before,
    'commit on the loopback',
    () => recent(github, drive, bridge.api('GET', `/api/v1/operations/${queued.body.operationId}`)),
  );
  const seen = github.requests.length - requestsBefore;
  const op = (await bridge.api<Operation>('GET', `/api/v1/operations/${queued.body.operationId}`)).body;
  if (op.status !== 'succeeded' || op.changes?.definitions.updated.length !== n) {
    throw new Error(`design → GitHub sync of ${n} services did not do what was asked: ${JSON.stringify(op)}`);
  }
  return { ms: end - start, op, seen };
}

async function githubToDesign(
  bridge: BenchBridge,
  github: LoopbackGithub,
  drive: LoopbackDrive,
  n: number,
  version: string,
): Promise<{ ms: number; githubCalls: number }> {
  const repo = github.repo(REPO);
  const current = repo.files('main');
  const edits: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const path = definitionPath(`svc-${i}`);
    edits[path] = withVersion(current[path] ?? '', version);
  }
  const after = repo.commitFiles('main', edits, 'Edit definitions by hand');
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    after,
    repository: { full_name: REPO, name: 'platform', owner: { login: 'acme' } },
    commits: [{ id: after, message: 'Edit definitions by hand', author: { name: 'dev' } }],
    head_commit: { id: after, message: 'Edit definitions by hand' },
  });
  const versionBefore = drive.file(FILE_ID)?.version;
  const requestsBefore = github.requests.length;
  const start = performance.now();
  const response = await fetch(`${bridge.url}/github/webhook`, {
    method: 'POST',
    headers: pushHeaders(body, WEBHOOK_SECRET, `bench-${after}`),
    body,
  });
  if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
  await response.arrayBuffer();
  const end = await untilOrFailed(
    bridge,
    () => drive.file(FILE_ID)?.version !== versionBefore,
    'design update on the loopback Drive',
    () => recent(github, drive, bridge.api('GET', `/api/v1/deliveries/bench-${after}`)),
  );
  const design = JSON.parse(drive.file(FILE_ID)?.content ?? '{}') as DesignExport;
  const updated = design.components.filter((c) => c.version === version).length;
  if (updated !== n) throw new Error(`GitHub → design sync updated ${updated} of ${n} services`);
  return { ms: end - start, githubCalls: github.requests.length - requestsBefore };
}
