import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../errors/index.ts';
import { withFileLock, writeFileAtomic } from '../local-file/index.ts';

/** What GitHub keeps for pull requests, issues and statuses, kept as JSON files in `<gitdir>/bridge/`. */
export interface PullRecord {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  /** `merged` once the proposed commit is in the base branch (merged by hand, see markMergedProposals). */
  state: 'open' | 'merged';
  /** The head branch's commit when the proposal was last opened or updated. */
  headSha?: string;
  createdAt: string;
  updatedAt: string;
  mergedAt?: string;
}

export interface IssueRecord {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt?: string;
  comments?: Array<{ body: string; createdAt: string }>;
}

export interface StatusRecord {
  state: 'success' | 'failure' | 'pending' | 'error';
  context: string;
  description: string;
  updatedAt: string;
}

export interface BridgeRecords {
  pulls: PullRecord[];
  issues: IssueRecord[];
  /** sha → context → latest status (a newer status for a context replaces the older one, as on GitHub). */
  statuses: Record<string, Record<string, StatusRecord>>;
}

type RecordName = keyof BridgeRecords;

const EMPTY: { [K in RecordName]: () => BridgeRecords[K] } = {
  pulls: () => [],
  issues: () => [],
  statuses: () => ({}),
};

export function recordFile(gitDir: string, name: RecordName): string {
  return join(gitDir, 'bridge', `${name}.json`);
}

export async function readRecords<K extends RecordName>(gitDir: string, name: K): Promise<BridgeRecords[K]> {
  const file = recordFile(gitDir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY[name]() as BridgeRecords[K];
    throw err;
  }
  try {
    return JSON.parse(text) as BridgeRecords[K];
  } catch {
    throw new AppError('upstream_failed', `${file} is not valid JSON; fix or remove it`);
  }
}

/** Read-modify-write of one record file under its lock; the file is replaced atomically. */
export async function updateRecords<K extends RecordName, R>(
  gitDir: string,
  name: K,
  change: (
    current: BridgeRecords[K],
  ) => { next: BridgeRecords[K]; result: R } | Promise<{ next: BridgeRecords[K]; result: R }>,
): Promise<R> {
  const file = recordFile(gitDir, name);
  await mkdir(dirname(file), { recursive: true });
  return withFileLock(file, async () => {
    const { next, result } = await change(await readRecords(gitDir, name));
    await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
    return result;
  });
}

export function nextNumber(records: { number: number }[]): number {
  return records.reduce((max, r) => Math.max(max, r.number), 0) + 1;
}
