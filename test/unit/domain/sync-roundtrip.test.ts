import { describe, expect, it } from 'vitest';
import {
  applyFileChanges,
  exampleDesignExport,
  ingestRawFiles,
  mergeArchitectures,
  parseDesignText,
  planDefinitionChanges,
  readDefinitions,
  renderDesignText,
  type ServiceDefinition,
  type SourceFile,
  servicesToDesignExport,
} from '../../../shared/domain/index.ts';
import { aFile, aPolicy } from './builders.ts';

/** One pure sync step as the worker runs it: ingest, read, merge, plan both sides' writes. */
function syncOnce(base: ServiceDefinition[], designText: string, files: SourceFile[]) {
  const ingestion = ingestRawFiles(files);
  const afterIngestion = applyFileChanges(files, ingestion.changes);
  const design = parseDesignText(designText);
  if (!design.ok) throw new Error(design.reason);
  const definitions = readDefinitions(afterIngestion);
  const merge = mergeArchitectures({
    base,
    design: design.services,
    definitions: definitions.services,
    policy: aPolicy(),
  });
  const repoChanges = [...ingestion.changes, ...planDefinitionChanges(afterIngestion, merge.definitions)];
  const nextDesign = renderDesignText(servicesToDesignExport(merge.design, design.export), designText);
  return { merge, repoChanges, files: applyFileChanges(files, repoChanges), designText: nextDesign };
}

describe('a full sync, twice', () => {
  it('fills an empty repository from the example design, then has nothing left to do', () => {
    const designText = `${JSON.stringify(exampleDesignExport(), null, 2)}\n`;
    const unmanaged = aFile('architecture/README.md', '# ours');
    const first = syncOnce([], designText, [unmanaged]);
    expect(first.merge.changes.definitions.added).toEqual(['auth', 'core', 'persistence', 'finance-sync']);
    expect(first.designText).toBe(designText);
    expect(first.files).toContainEqual(unmanaged);

    const second = syncOnce(first.merge.merged, first.designText, first.files);
    expect(second.repoChanges).toEqual([]);
    expect(second.designText).toBe(designText);
    expect(second.merge.conflicts).toEqual([]);
  });

  it('carries a hand edit of a definition file and a raw drop to the design, keeping the export’s shape', () => {
    const designText = `${JSON.stringify(exampleDesignExport(), null, 2)}\n`;
    const first = syncOnce([], designText, []);
    const edited = first.files.map((f) =>
      f.path === 'architecture/definitions/core.yaml'
        ? { ...f, content: f.content.replace('version: 2.0.0', 'version: 2.1.0 # bumped') }
        : f,
    );
    const dropped = [
      ...edited,
      aFile('architecture/raw/search.json', '{"name": "Search", "github_path": "services/search"}'),
    ];
    const second = syncOnce(first.merge.merged, first.designText, dropped);
    const design = JSON.parse(second.designText);
    expect(design.components.map((c: { service_id: string }) => c.service_id)).toEqual([
      'auth',
      'core',
      'persistence',
      'finance-sync',
      'search',
    ]);
    expect(design.components[1].version).toBe('2.1.0');
    expect(Object.keys(design.components[1])).toEqual(Object.keys(exampleDesignExport().components[1]!));
    expect(second.files.find((f) => f.path === 'architecture/definitions/core.yaml')?.content).toContain(
      'version: 2.1.0 # bumped',
    );
    expect(second.files.some((f) => f.path.startsWith('architecture/raw/'))).toBe(false);
  });
});
