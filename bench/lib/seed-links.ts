import { LinkPolicy } from '../../shared/domain/index.ts';
import { COLLECTIONS, type Link } from '../../shared/records/index.ts';
import type { LoopbackDrive } from '../../test/support/loopback-drive/index.ts';
import type { LoopbackGithub } from '../../test/support/loopback-github/index.ts';
import { services } from '../../test/sync/support.ts';
import type { BenchBridge } from './start-bridge.ts';

export interface SeededLink {
  id: string;
  repo: string;
  headSha: string;
}

/**
 * Writes `count` links (and their base snapshots) straight into the state store in one transaction,
 * as a completed sync would have left them: positions at the loopbacks' current head and Drive
 * revision, so a sync of any of them finds nothing changed.
 */
export async function seedSyncedLinks(
  bridge: BenchBridge,
  github: LoopbackGithub,
  drive: LoopbackDrive,
  items: ReadonlyArray<{ repo: string; fileId: string }>,
): Promise<SeededLink[]> {
  const registry = await bridge.ctx.providers();
  const now = bridge.ctx.now().toISOString();
  const policy = LinkPolicy.parse({ writes: 'direct' });
  const base = { services: services() };
  const seeded: SeededLink[] = [];
  await bridge.ctx.state.runTransaction(async (tx) => {
    items.forEach((item, i) => {
      const headSha = github.repo(item.repo).head('main');
      const file = drive.file(item.fileId);
      if (!headSha || !file) throw new Error(`loopback has no ${item.repo} or ${item.fileId}`);
      const link: Link = {
        id: `lnk_bench${String(i).padStart(8, '0')}`,
        tenant: 'default',
        repo: registry.parseRepo(`https://github.com/${item.repo}`).url,
        branch: 'main',
        design: registry.parseDesign(`https://drive.google.com/file/d/${item.fileId}/view`).url,
        policy,
        status: 'synced',
        // The Drive provider's revision is `<version>:<etag>` (shared/providers/drive/drive-revision.ts).
        positions: { headSha, designRevision: `${file.version}:${file.etag}` },
        lastSync: { operationId: 'op_seeded', at: now, result: 'succeeded' },
        openConflicts: 0,
        createdAt: now,
        updatedAt: now,
      };
      tx.create(COLLECTIONS.links, link.id, link);
      tx.create(COLLECTIONS.bases, link.id, base);
      seeded.push({ id: link.id, repo: item.repo, headSha });
    });
  });
  return seeded;
}
