import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { definitionPath, renderDefinitionFile } from '../../shared/domain/index.ts';
import type { Link } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { git, gitLog } from '../support/local-git.ts';
import { createLocalLink, services, startLoopbackBridge } from '../sync/support.ts';

/** A definition saved in Latin-1 ("é" as the single byte 0xE9): not UTF-8. */
function latin1Definition(): Buffer {
  const core = services().find((s) => s.id === 'core')!;
  return Buffer.from(renderDefinitionFile({ ...core, name: 'Application Coré' }), 'latin1');
}

describe('repository files that are not UTF-8 text are refused, never read lossily or taken as deleted', () => {
  let bridge: TestBridge | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await bridge?.close();
    await close?.();
    bridge = undefined;
    close = undefined;
  });

  it('local git: a Latin-1 definition blocks the sync naming the file; nothing is written or deleted', async () => {
    bridge = await startTestBridge();
    const link = await createLocalLink(bridge, { policy: { writes: 'direct', onRemoval: 'propagate' } });
    // Commit the raw bytes (the test helper writes strings).
    const bytesFile = join(bridge.dir, 'core-latin1.yaml');
    await writeFile(bytesFile, latin1Definition());
    const blob = await git(link.repoDir, ['hash-object', '-w', bytesFile]);
    await git(link.repoDir, ['read-tree', 'main'], { GIT_INDEX_FILE: `${bridge.dir}/idx` });
    await git(
      link.repoDir,
      ['update-index', '--add', '--cacheinfo', `100644,${blob},${definitionPath('core')}`],
      { GIT_INDEX_FILE: `${bridge.dir}/idx` },
    );
    const tree = await git(link.repoDir, ['write-tree'], { GIT_INDEX_FILE: `${bridge.dir}/idx` });
    const commit = await git(link.repoDir, ['commit-tree', tree, '-p', 'main', '-m', 'latin-1']);
    await git(link.repoDir, ['update-ref', 'refs/heads/main', commit]);

    const op = await link.sync();
    expect(op).toMatchObject({ status: 'failed', outcome: 'blocked' });
    expect(op.error?.message).toContain(definitionPath('core'));
    expect(op.error?.message).toMatch(/not UTF-8 text/);
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(2); // nobody's commit but the test's
    const design = await link.readDesign();
    expect(design.components.map((c) => c.service_id)).toContain('core');
    expect(JSON.stringify(design)).not.toContain('\uFFFD');
  });

  it('GitHub: a binary definition file is refused, not skipped (which would read as a deletion)', async () => {
    const world = await startLoopbackBridge({
      githubToken: 'ghp_encodingtesttoken000000000000000',
      googleToken: 'ya29.encoding-test',
      fileId: 'design-file-1',
    });
    close = world.close;
    const created = await world.bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: 'https://drive.google.com/file/d/design-file-1/view',
      policy: { writes: 'direct', onRemoval: 'propagate' },
    });
    await world.bridge.idle();
    world.github
      .repo('acme/platform')
      .commitFiles('main', { [definitionPath('auth')]: 'id: auth\0\0binary' }, 'binary');
    const queued = await world.bridge.api<{ operationId: string }>(
      'POST',
      `/api/v1/links/${created.body.id}/sync`,
      {},
    );
    await world.bridge.idle();
    const op = (
      await world.bridge.api<{ status: string; outcome: string; error?: { message: string } }>(
        'GET',
        `/api/v1/operations/${queued.body.operationId}`,
      )
    ).body;
    expect(op).toMatchObject({ status: 'failed', outcome: 'blocked' });
    expect(op.error?.message).toContain(definitionPath('auth'));
    const design = JSON.parse(world.drive.file('design-file-1')?.content ?? '{}') as {
      components: Array<{ service_id: string }>;
    };
    expect(design.components.map((c) => c.service_id)).toContain('auth');
    world.github.assertValid();
  });
});
