import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Link, Operation } from '../../../shared/records/index.ts';
import { ADMIN_TOKEN } from '../../support/bridge.ts';
import { FILE_ID, REPO } from './world.ts';

const CHILD = fileURLToPath(new URL('../fixtures/bridge-child.ts', import.meta.url));

export type CrashStep = 'after-read' | 'after-commit' | 'after-design-write' | 'before-state-commit';

export interface BridgeProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  url: string;
  stderr(): string;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  createLink(policy?: Record<string, unknown>): Promise<Link>;
  queueSync(linkId: string): Promise<string>;
  operation(id: string): Promise<Operation>;
  /** Resolves with the signal when the process exits (fails after `timeoutMs`). */
  exited(timeoutMs?: number): Promise<NodeJS.Signals | number | null>;
  kill(): Promise<void>;
}

/** Starts the bridge fixture in a child process (Node 24 runs it by stripping types). */
export async function spawnBridge(
  env: Record<string, string>,
  crashAt?: CrashStep,
  timeoutMs = 15_000,
): Promise<BridgeProcess> {
  const child = spawn(process.execPath, [CHILD], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN,
      BRIDGE_DEMO: 'false',
      ...env,
      ...(crashAt ? { BRIDGE_TEST_CRASH_AT: crashAt } : {}),
    },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`bridge child did not start in ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    const onExit = (code: number | null) =>
      fail(new Error(`bridge child exited (${code}) on start: ${stderr}`));
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      reject(err);
    };
    child.once('exit', onExit);
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  const exit = once(child, 'exit').then(
    ([code, signal]) => (signal as NodeJS.Signals | null) ?? (code as number | null),
  );

  const api: BridgeProcess['api'] = async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
  return {
    child,
    url,
    stderr: () => stderr,
    api,
    async createLink(policy = { writes: 'direct' }) {
      const created = await api<Link>('POST', '/api/v1/links', {
        repo: `https://github.com/${REPO}`,
        design: `https://drive.google.com/file/d/${FILE_ID}/view`,
        policy,
      });
      if (created.status !== 201) throw new Error(`link not created: ${JSON.stringify(created.body)}`);
      return created.body;
    },
    async queueSync(linkId) {
      const queued = await api<{ operationId: string }>('POST', `/api/v1/links/${linkId}/sync`, {});
      if (queued.status !== 202) throw new Error(`sync not queued: ${JSON.stringify(queued.body)}`);
      return queued.body.operationId;
    },
    async operation(id) {
      return (await api<Operation>('GET', `/api/v1/operations/${id}`)).body;
    },
    exited(ms = 15_000) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`bridge child still running after ${ms} ms: ${stderr}`)),
          ms,
        );
      });
      return Promise.race([exit, limit]).finally(() => clearTimeout(timer));
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exit;
    },
  };
}
