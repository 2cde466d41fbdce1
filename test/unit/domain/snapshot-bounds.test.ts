import { describe, expect, it } from 'vitest';
import {
  checkSyncSafety,
  definitionPath,
  ingestRawFiles,
  MAX_DEFINITION_BYTES,
  MAX_SNAPSHOT_BYTES,
  mergeArchitectures,
  parseDefinitionFile,
  parseDesignText,
  readDefinitions,
  renderDefinitionFile,
  type ServiceDefinition,
} from '../../../shared/domain/index.ts';
import { MAX_DOCUMENT_BYTES } from '../../../shared/ports/index.ts';
import { planSync } from '../../../shared/sync/plan-sync.ts';
import { aComponent, aFile, anExport, aPolicy, aService } from './builders.ts';

/** A YAML service whose metadata repeats one anchored map `aliases` times. */
function anchorBomb(anchorBytes: number, aliases: number): string {
  const lines = ['name: Bomb', 'metadata:', `  a: &a {text: "${'x'.repeat(anchorBytes)}"}`];
  for (let i = 1; i <= aliases; i++) lines.push(`  b${i}: *a`);
  return `${lines.join('\n')}\n`;
}

/** `count` services of about `bytes` each (the size is in their metadata). */
const bigServices = (count: number, bytes = 2_000): ServiceDefinition[] =>
  Array.from({ length: count }, (_, i) =>
    aService({ id: `s${i}`, name: `S${i}`, metadata: { notes: 'n'.repeat(bytes) } }),
  );

describe('YAML anchors are measured expanded, before anything is built from them', () => {
  it('the reported bomb (a 4 MB anchor, 15 aliases) is refused as a definition and as a raw file', () => {
    const bomb = anchorBomb(4 * 1024 * 1024, 15);
    expect(parseDefinitionFile('architecture/definitions/bomb.yaml', bomb)).toMatchObject({ ok: false });
    const result = ingestRawFiles([aFile('architecture/raw/bomb.yaml', bomb)]);
    expect(result).toMatchObject({
      changes: [],
      accepted: [],
      rejected: [{ path: 'architecture/raw/bomb.yaml' }],
    });
  });

  it('a definition whose anchor is repeated past the limit is refused with the reason', () => {
    const parsed = parseDefinitionFile('architecture/definitions/bomb.yaml', anchorBomb(100_000, 15));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.issues[0]?.message).toMatch(
        new RegExp(`expands to more than ${MAX_DEFINITION_BYTES} bytes.*alias`),
      );
  });

  it('a definition under the limit before expansion but over it after is refused too', () => {
    const size = Math.ceil(MAX_DEFINITION_BYTES / 3);
    expect(anchorBomb(size, 0).length).toBeLessThan(MAX_DEFINITION_BYTES);
    expect(parseDefinitionFile('architecture/definitions/bomb.yaml', anchorBomb(size, 3)).ok).toBe(false);
  });

  it('anchors used modestly still work', () => {
    const parsed = parseDefinitionFile('architecture/definitions/bomb.yaml', anchorBomb(1_000, 3));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.service.metadata?.b3).toEqual({ text: 'x'.repeat(1_000) });
  });

  it('an alias inside the node it names is refused, not followed', () => {
    const parsed = parseDefinitionFile(
      'architecture/definitions/loop.yaml',
      'name: Loop\nmetadata: &m {self: *m}\n',
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]?.message).toMatch(/itself|alias/i);
  });

  it('a raw file with an anchor bomb stays in raw/ with the reason; nothing is ingested', () => {
    const result = ingestRawFiles([aFile('architecture/raw/bomb.yaml', anchorBomb(200_000, 15))]);
    expect(result.changes).toEqual([]);
    expect(result.accepted).toEqual([]);
    expect(result.rejected).toEqual([
      expect.objectContaining({
        path: 'architecture/raw/bomb.yaml',
        reason: expect.stringMatching(new RegExp(`expands to more than ${MAX_SNAPSHOT_BYTES} bytes`)),
      }),
    ]);
  });

  it('a raw file bringing a service larger than one definition is refused', () => {
    const content = `name: Big\nmetadata: {notes: "${'n'.repeat(MAX_DEFINITION_BYTES)}"}\n`;
    const result = ingestRawFiles([aFile('architecture/raw/big.yaml', content)]);
    expect(result.accepted).toEqual([]);
    expect(result.rejected[0]?.reason).toMatch(/larger than .* one definition/);
  });

  it('a raw JSON file larger than a snapshot is refused', () => {
    const content = JSON.stringify(bigServices(Math.ceil(MAX_SNAPSHOT_BYTES / 2_000) + 5));
    const result = ingestRawFiles([aFile('architecture/raw/many.json', content)]);
    expect(result.accepted).toEqual([]);
    expect(result.rejected[0]?.reason).toMatch(/more than/);
  });
});

describe('the whole snapshot is bounded', () => {
  it('definitions past the total limit are unreadable, each with the reason; earlier ones are read', () => {
    const count = Math.ceil(MAX_SNAPSHOT_BYTES / 2_000) + 10;
    const files = bigServices(count).map((s) => aFile(definitionPath(s.id), renderDefinitionFile(s)));
    const read = readDefinitions(files);
    expect(read.invalid.length).toBeGreaterThan(0);
    expect(read.services.length + read.invalid.length).toBe(count);
    for (const file of read.invalid) expect(file.reason).toMatch(/together .* more than|over the/);
    const verdict = checkSyncSafety({
      base: [],
      design: { ok: true, services: [] },
      definitions: read.services,
      invalidDefinitions: read.invalid,
      policy: aPolicy(),
    });
    expect(verdict.action).toBe('blocked');
    expect(verdict.findings.map((f) => f.code)).toContain('definitions-unreadable');
  });

  it('a design over the snapshot limit is unreadable, though its text is under the text limit', () => {
    const components = bigServices(Math.ceil(MAX_SNAPSHOT_BYTES / 2_000) + 5).map((s) =>
      aComponent({ service_id: s.id, name: s.name, metadata: s.metadata }),
    );
    const parsed = parseDesignText(JSON.stringify(anExport(components)));
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than/) });
  });

  it('a merge that would make one side larger than a snapshot blocks the sync', () => {
    const half = Math.ceil(MAX_SNAPSHOT_BYTES / 2 / 2_000) + 5;
    const design = bigServices(half);
    const definitions = bigServices(2 * half).slice(half);
    const policy = aPolicy();
    const merge = mergeArchitectures({ base: [], design, definitions, policy });
    const verdict = checkSyncSafety({
      base: [],
      design: { ok: true, services: design },
      definitions,
      merge,
      policy,
    });
    expect(verdict.action).toBe('blocked');
    expect(verdict.findings).toEqual([
      expect.objectContaining({ code: 'snapshot-too-large', needsConfirmation: false }),
    ]);
  });

  it('a design just under the snapshot limit syncs, and its base snapshot fits one stored document', () => {
    const services = bigServices(Math.floor(MAX_SNAPSHOT_BYTES / 2_200));
    const components = services.map((s) =>
      aComponent({ service_id: s.id, name: s.name, metadata: s.metadata }),
    );
    expect(JSON.stringify(anExport(components)).length).toBeGreaterThan(0.95 * MAX_SNAPSHOT_BYTES);
    const designText = JSON.stringify(anExport(components), null, 2);
    const plan = planSync({
      base: [],
      architectureFiles: [],
      manifests: [],
      designText,
      policy: aPolicy(),
      direction: 'both',
      resolutions: [],
    });
    expect(plan.verdict.action).toBe('write');
    const base = {
      linkId: 'lnk_x',
      services: plan.baseIfDirect,
      designExport: plan.designExport,
      updatedAt: '',
    };
    expect(plan.baseIfDirect).toHaveLength(services.length);
    expect(Buffer.byteLength(JSON.stringify(base))).toBeLessThan(MAX_DOCUMENT_BYTES);
  });
});
