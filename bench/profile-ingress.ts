import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from './lib/load.ts';
import { startServerProcess } from './lib/server-process.ts';
import { examplePushBody, pushHeaders } from './lib/signed-push.ts';

/*
 * `npm run bench:profile [-- <server> [seconds]]`: loads one ingress server (default the bridge's
 * local server, bench/servers/bridge-server.ts) with signed pushes under `node --cpu-prof`, then prints
 * where its main thread spent its time: the functions with the most self time, and per file.
 */
type Script = Parameters<typeof startServerProcess>[0];
const script = (process.argv[2] ?? 'bridge-server.ts') as Script;
const seconds = Number(process.argv[3] ?? 5);
const SECRET = 'bench-webhook-secret-0123456789';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const dir = await mkdtemp(join(tmpdir(), 'bridge-cpu-prof-'));
process.env.BENCH_CPU_PROF_DIR = dir;
const server = await startServerProcess(script, { BENCH_WEBHOOK_SECRET: SECRET });
const body = examplePushBody();
const load = await runLoad({
  url: server.url,
  path: '/github/webhook',
  headers: pushHeaders(body, SECRET),
  body,
  durationSeconds: seconds,
  connections: 10,
});
await server.idle();
await server.close();

// The main thread's profile is the largest one the process wrote (worker threads write their own).
const files = await Promise.all(
  (await readdir(dir)).map(async (f) => ({ f, text: await readFile(join(dir, f), 'utf8') })),
);
const main = files.sort((a, b) => b.text.length - a.text.length)[0];
if (!main) throw new Error('no CPU profile was written');
const profile = JSON.parse(main.text) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const where = (url: string) =>
  url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(shared|bench)\//, '$1/');
const self = new Map<string, number>();
const perFile = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const frame = byId.get(id)?.callFrame;
  if (!frame) return;
  total += dt;
  const file = where(frame.url) || `(${frame.functionName || 'native'})`;
  const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  perFile.set(file, (perFile.get(file) ?? 0) + dt);
});
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
process.stdout.write(
  `${script}: ${Math.round(load.requestsPerSecond)} req/s over ${seconds} s; main thread sampled ${Math.round(total / 1000)} ms\n\n` +
    `Self time by function:\n${top(self, 25)}\n\nSelf time by file:\n${top(perFile, 15)}\n\nProfiles: ${dir}\n`,
);
