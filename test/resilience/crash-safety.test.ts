import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Link, Operation } from '../../shared/records/index.ts';
import { type BridgeProcess, type CrashStep, spawnBridge } from './support/bridge-process.ts';
import { assertEveryEditAccounted } from './support/invariant.ts';
import { eventually } from './support/resilient-bridge.ts';
import { applyEdits, TWO_SIDED_EDITS } from './support/scenario.ts';
import { REPO, startWorld, type World } from './support/world.ts';

async function finishedOn(bridge: BridgeProcess, opId: string): Promise<Operation> {
  return eventually(
    `operation ${opId} to finish`,
    async () => {
      const op = await bridge.operation(opId);
      return op.status === 'succeeded' || op.status === 'failed' ? op : undefined;
    },
    15_000,
  );
}

describe('crash safety: the worker is killed (SIGKILL) at each step of a sync and restarted', () => {
  let world: World;
  let dir: string;
  const children: BridgeProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill();
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each<[CrashStep, { commitsAtCrash: number; designWrittenAtCrash: boolean }]>([
    ['after-read', { commitsAtCrash: 0, designWrittenAtCrash: false }],
    ['after-commit', { commitsAtCrash: 1, designWrittenAtCrash: false }],
    ['after-design-write', { commitsAtCrash: 1, designWrittenAtCrash: true }],
    ['before-state-commit', { commitsAtCrash: 1, designWrittenAtCrash: true }],
  ])('killed %s: converges with no duplicate commit and no lost edit', async (step, atCrash) => {
    world = await startWorld();
    dir = await mkdtemp(join(tmpdir(), 'bridge-crash-'));
    const env = { ...world.env, BRIDGE_DATA_DIR: join(dir, 'data') };

    const doomed = await spawnBridge(env, step);
    children.push(doomed);
    const link = await doomed.createLink();
    await eventually('the first sync of the new link', async () => {
      const current = (await doomed.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
      return current.lastSync ? current : undefined;
    });
    applyEdits(world, TWO_SIDED_EDITS);
    const designBefore = world.drive.file('design-file-1')?.content;
    const opId = await doomed.queueSync(link.id);
    expect(await doomed.exited()).toBe('SIGKILL');
    expect(world.bridgeCommits()).toHaveLength(atCrash.commitsAtCrash);
    expect(world.drive.file('design-file-1')?.content !== designBefore).toBe(atCrash.designWrittenAtCrash);

    const restarted = await spawnBridge(env);
    children.push(restarted);
    const op = await finishedOn(restarted, opId);
    expect(op).toMatchObject({ status: 'succeeded' });
    expect(world.bridgeCommits()).toHaveLength(1);
    expect(await assertEveryEditAccounted(world, restarted, link.id, TWO_SIDED_EDITS)).toEqual([
      'both',
      'both',
    ]);
    const after = (await restarted.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect(after.status).toBe('synced');
    expect(after.positions.headSha).toBe(world.github.repo(REPO).commits('main')[0]?.sha);
    // The base was recorded: one more sync finds nothing to do.
    const again = await finishedOn(restarted, await restarted.queueSync(link.id));
    expect(again).toMatchObject({ status: 'succeeded', outcome: 'no-changes' });
    expect(world.bridgeCommits()).toHaveLength(1);
    world.github.assertValid();
  });
});

describe('crash safety under the pull-request policy', () => {
  let world: World;
  let dir: string;
  const children: BridgeProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill();
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('killed after the commit to bridge/<link>: one commit on the branch, one pull request', async () => {
    world = await startWorld();
    dir = await mkdtemp(join(tmpdir(), 'bridge-crash-'));
    const env = { ...world.env, BRIDGE_DATA_DIR: join(dir, 'data') };
    const doomed = await spawnBridge(env, 'after-commit');
    children.push(doomed);
    const link = await doomed.createLink({ writes: 'pull-request' });
    await eventually('the first sync of the new link', async () => {
      const current = (await doomed.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
      return current.lastSync ? current : undefined;
    });
    applyEdits(world, TWO_SIDED_EDITS);
    const opId = await doomed.queueSync(link.id);
    expect(await doomed.exited()).toBe('SIGKILL');
    const branch = `bridge/${link.id}`;
    expect(world.bridgeCommits(branch)).toHaveLength(1);

    const restarted = await spawnBridge(env);
    children.push(restarted);
    expect(await finishedOn(restarted, opId)).toMatchObject({ status: 'succeeded' });
    expect(world.bridgeCommits(branch)).toHaveLength(1);
    expect(world.github.repo(REPO).pulls).toHaveLength(1);
    expect(world.bridgeCommits('main')).toHaveLength(0);
    await assertEveryEditAccounted(world, restarted, link.id, TWO_SIDED_EDITS, branch);
  });
});
