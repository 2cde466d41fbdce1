import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from './lib/stats.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOADER = fileURLToPath(new URL('./cold-start/load-module.ts', import.meta.url));

export interface ModuleLoad {
  /** Median import time over fresh processes, ms. */
  ms: number;
  samples: number[];
  /** Files the import loaded (JS/TS/JSON, node_modules included) and their total size. */
  files: number;
  bytes: number;
}

export interface ColdStartResult {
  functions: Record<string, ModuleLoad>;
  /** The Drive client peer: the full `googleapis` package when installed, else `@googleapis/drive`. */
  peer: { package: string; googleapisInstalled: boolean; load: ModuleLoad };
}

async function loadOnce(target: string, mode: 'time' | 'files'): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, [LOADER, target, mode], { cwd: ROOT, timeout: 60_000 });
  const line = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line) as Record<string, number>;
}

export async function measureModuleLoad(target: string, runs: number): Promise<ModuleLoad> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await loadOnce(target, 'time')).ms ?? Number.NaN);
  const closure = await loadOnce(target, 'files');
  return { ms: median(samples), samples, files: closure.files ?? 0, bytes: closure.bytes ?? 0 };
}

export async function functionNames(): Promise<string[]> {
  const entries = await readdir(`${ROOT}functions`, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function googleapisInstalled(): boolean {
  try {
    createRequire(`${ROOT}package.json`).resolve('googleapis');
    return true;
  } catch {
    return false;
  }
}

/**
 * Module load (cold start) of each `functions/<name>/index.ts`, each import in a fresh Node process
 * (the same Node binary, type stripping on, as `npm start` runs them), against the Drive client peer.
 */
export async function runColdStartBench(options: {
  runs: number;
  functions?: string[];
}): Promise<ColdStartResult> {
  const names = options.functions ?? (await functionNames());
  const functions: Record<string, ModuleLoad> = {};
  for (const name of names) {
    functions[name] = await measureModuleLoad(`${ROOT}functions/${name}/index.ts`, options.runs);
  }
  const full = googleapisInstalled();
  const pkg = full ? 'googleapis' : '@googleapis/drive';
  return {
    functions,
    peer: { package: pkg, googleapisInstalled: full, load: await measureModuleLoad(pkg, options.runs) },
  };
}
