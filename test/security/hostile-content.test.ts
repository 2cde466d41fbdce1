import { readFile, stat } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { definitionPath, MAX_DEFINITION_BYTES, MAX_SNAPSHOT_BYTES } from '../../shared/domain/index.ts';
import { createLocalGitRepoProvider } from '../../shared/providers/index.ts';
import type { ConflictRecord } from '../../shared/records/index.ts';
import { openConflictOn } from '../api/support.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { commitFiles, gitLog, readFileAt } from '../support/local-git.ts';
import { createLocalLink } from '../sync/support.ts';
import { deepObjectJson, expectAlive, expectError, expectNoPollution, send } from './support.ts';

/** YAML whose metadata repeats one anchored map of `bytes` bytes `aliases` times. */
function anchorBomb(bytes: number, aliases: number, id = 'bomb'): string {
  const lines = [`id: ${id}`, 'name: Bomb', 'metadata:', `  a: &a {text: "${'x'.repeat(bytes)}"}`];
  for (let i = 1; i <= aliases; i++) lines.push(`  b${i}: *a`);
  return `${lines.join('\n')}\n`;
}

/** Hostile architecture content and conflict resolutions: refused per file, and no link is wedged. */
describe('hostile content cannot blow up a snapshot or wedge a link', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge();
  });
  afterAll(async () => {
    await bridge?.close();
  });
  afterEach(async () => {
    await bridge.idle();
    expectNoPollution();
    await expectAlive(bridge);
  });

  it.each([
    ['the reported 4 MB anchor used 15 times', anchorBomb(4 * 1024 * 1024, 15)],
    ['a 200 KB anchor used 15 times (under the text limit)', anchorBomb(200_000, 15)],
    ['an alias inside the node it names', 'id: loop\nname: Loop\nmetadata: &m {self: *m}\n'],
  ])(
    'a raw file with %s stays in the drop zone with the reason; the design does not grow',
    async (_n, content) => {
      const link = await createLocalLink(bridge);
      const designBytes = (await stat(link.designFile)).size;
      await commitFiles(link.repoDir, 'main', { 'architecture/raw/bomb.yaml': content });
      const op = await link.sync();
      expect(op.status).toBe('succeeded');
      expect((await stat(link.designFile)).size).toBe(designBytes);
      expect(await readFileAt(link.repoDir, 'main', definitionPath('bomb'))).toBeUndefined();
      expect(await readFileAt(link.repoDir, 'main', 'architecture/raw/bomb.yaml')).toBe(content);
      const head = (await gitLog(link.repoDir, 'main'))[0]?.sha ?? '';
      const statuses = await createLocalGitRepoProvider({ path: link.repoDir }).commitStatuses(head);
      expect(statuses['bridge/raw-ingestion']).toMatchObject({ state: 'failure' });
      expect(statuses['bridge/raw-ingestion']?.description).toMatch(/bomb\.yaml: (larger|expands|not valid)/);
    },
  );

  it('a definition that expands past its limit blocks the sync, names the file, and writes nothing', async () => {
    const link = await createLocalLink(bridge);
    const path = definitionPath('auth');
    const text = anchorBomb(Math.ceil(MAX_DEFINITION_BYTES / 4), 8, 'auth');
    await commitFiles(link.repoDir, 'main', { [path]: text });
    const commits = (await gitLog(link.repoDir, 'main')).length;
    const design = await readFile(link.designFile);
    const op = await link.sync();
    expect(op).toMatchObject({ status: 'failed', outcome: 'blocked' });
    expect(op.error?.message).toMatch(new RegExp(`${path} \\(expands to more than ${MAX_DEFINITION_BYTES}`));
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(commits);
    expect(await readFile(link.designFile)).toEqual(design);
  });

  it('a design larger than a snapshot blocks the sync with the reason', async () => {
    const link = await createLocalLink(bridge);
    const design = await link.readDesign();
    await link.writeDesign({ ...design, notes: 'n'.repeat(MAX_SNAPSHOT_BYTES) });
    const op = await link.sync();
    expect(op).toMatchObject({ status: 'failed', outcome: 'blocked' });
    expect(op.error?.message).toMatch(/design unreadable: the design is larger than/);
  });

  describe('conflict resolutions', () => {
    let link: Awaited<ReturnType<typeof createLocalLink>>;
    let conflict: ConflictRecord;
    beforeAll(async () => {
      link = await createLocalLink(bridge, { policy: { writes: 'direct', onConflict: 'manual' } });
      conflict = await openConflictOn(bridge, { ...link, token: ADMIN_TOKEN });
    });

    it.each([
      ['__proto__', '{"__proto__":{"polluted":true}}'],
      ['constructor.prototype', '{"constructor":{"prototype":{"polluted":true}}}'],
      ['a value nested 100,000 levels', deepObjectJson(100_000)],
      ['a schema-invalid value', '{"not":"a name"}'],
    ])('%s is 400; the conflict stays open and the next sync succeeds', async (_name, value) => {
      const res = await send(
        bridge.url,
        'POST',
        `/api/v1/links/${link.id}/conflicts/${conflict.id}/resolve`,
        {
          headers: { 'content-type': 'application/json' },
          body: `{"take":"value","value":${value}}`,
        },
      );
      expectError(res, 400, 'validation_failed');
      const op = await link.sync();
      expect(op.status).toBe('succeeded');
      const open = await bridge.api<{ items: ConflictRecord[] }>(
        'GET',
        `/api/v1/links/${link.id}/conflicts?state=open`,
      );
      expect(open.body.items.map((c) => c.id)).toEqual([conflict.id]);
    });
  });
});
