import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DesignExport, MAX_SNAPSHOT_BYTES, type ServiceDefinition } from '../../shared/domain/index.ts';
import { MAX_DOCUMENT_BYTES } from '../../shared/ports/index.ts';
import type { Link } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { gitLog } from '../support/local-git.ts';
import { createLocalLink, services } from './support.ts';

/** Services of about 2.2 KB each (in their metadata), `count` of them. */
const heavy = (count: number): ServiceDefinition[] => {
  const [template] = services();
  return Array.from({ length: count }, (_, i) => ({
    ...template!,
    id: `svc-${i}`,
    name: `Service ${i}`,
    path: `services/svc-${i}`,
    dependencies: [],
    metadata: { notes: 'n'.repeat(2_000) },
  }));
};

describe('a sync whose state cannot be stored fails clearly, before writing either side', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('each side within its bound, but the base snapshot over the document limit: failed once, nothing written', async () => {
    // The design holds no services but a large top-level field, the repository many services: each
    // is under a snapshot, but the merged design export keeps both, and the base adds the services.
    const defs = heavy(Math.floor((0.9 * MAX_SNAPSHOT_BYTES) / 2_200));
    const design = {
      source: 'AI Studio Visualizer',
      export_format: 'architecture_definition.json',
      notes: 'p'.repeat(0.9 * MAX_SNAPSHOT_BYTES),
      components: [],
    } as DesignExport;
    expect(JSON.stringify(defs).length + 2 * JSON.stringify(design).length).toBeGreaterThan(
      MAX_DOCUMENT_BYTES,
    );
    const link = await createLocalLink(bridge, { defs, design });
    const designBefore = await readFile(link.designFile);
    const commitsBefore = (await gitLog(link.repoDir, 'main')).length;

    const op = await link.sync();
    expect(op).toMatchObject({ status: 'failed', error: { code: 'payload_too_large' } });
    expect(op.error?.message).toMatch(new RegExp(`base snapshot .* over .*${MAX_DOCUMENT_BYTES}`));
    expect(op.progress.map((p) => p.step).join('\n')).not.toMatch(/will retry|committed|wrote the design/);
    expect(op.gaveUp).toBeUndefined();

    expect(await readFile(link.designFile)).toEqual(designBefore);
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(commitsBefore);
    const after = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect(after.status).toBe('error');
    expect(after.lastSync?.error).toMatch(/base snapshot/);
  });
});
