import { deepEqual } from './deep-equal.ts';
import {
  definitionFileId,
  definitionPath,
  parseDefinitionFile,
  renderDefinitionFile,
} from './definition-yaml.ts';
import type { FileChange, FileIssue, SourceFile } from './files.ts';
import { measureJson } from './json-size.ts';
import { formatIssues } from './parse-service.ts';
import { MAX_SNAPSHOT_BYTES } from './safe-input.ts';
import type { ServiceDefinition } from './service-schema.ts';

export interface DefinitionsRead {
  /** Valid definitions, in file-name order. */
  services: ServiceDefinition[];
  /** Where each service's file is (`<id>.yaml`, or `<id>.yml` when written so by hand). */
  paths: Record<string, string>;
  /** Definition files that could not be read; the sync must not treat their services as removed. */
  invalid: FileIssue[];
}

/**
 * Reads every `architecture/definitions/<id>.y(a)ml` among `files`; other files are ignored. The
 * services read together stay within MAX_SNAPSHOT_BYTES: from the file that would pass it on (in
 * path order), files are unreadable with that reason.
 */
export function readDefinitions(files: readonly SourceFile[]): DefinitionsRead {
  const out: DefinitionsRead = { services: [], paths: {}, invalid: [] };
  const sorted = files.filter((f) => definitionFileId(f.path) !== undefined).sort(byPath);
  let total = 0;
  for (const file of sorted) {
    if (file.unreadable !== undefined) {
      out.invalid.push({
        path: file.path,
        reason: file.unreadable,
        issues: [{ field: '', message: file.unreadable }],
      });
      continue;
    }
    const parsed = parseDefinitionFile(file.path, file.content);
    if (!parsed.ok) {
      out.invalid.push({ path: file.path, reason: formatIssues(parsed.issues), issues: parsed.issues });
      continue;
    }
    const other = out.paths[parsed.service.id];
    if (other !== undefined) {
      const reason = `id "${parsed.service.id}" is already defined in ${other}`;
      out.invalid.push({ path: file.path, reason, issues: [{ field: 'id', message: reason }] });
      continue;
    }
    // A definition passed MAX_DEFINITION_BYTES, so this measure is bounded.
    total += measureJson(parsed.service, Number.MAX_SAFE_INTEGER).bytes;
    if (total > MAX_SNAPSHOT_BYTES) {
      const reason = `the definitions together, up to this file, hold ${total} bytes, over the ${MAX_SNAPSHOT_BYTES}-byte limit of one link`;
      out.invalid.push({ path: file.path, reason, issues: [{ field: '', message: reason }] });
      continue;
    }
    out.paths[parsed.service.id] = file.path;
    out.services.push(parsed.service);
  }
  return out;
}

/**
 * File changes that make the definitions folder hold exactly `target`: changed services are
 * rewritten in place (comments kept), new ones created, removed ones deleted. Files with the same
 * content are left alone, and so is every file that is not a readable definition.
 */
export function planDefinitionChanges(
  files: readonly SourceFile[],
  target: readonly ServiceDefinition[],
): FileChange[] {
  const current = readDefinitions(files);
  const contentOf = new Map(files.map((f) => [f.path, f.content]));
  const currentById = new Map(current.services.map((s) => [s.id, s]));
  const targetIds = new Set(target.map((s) => s.id));
  const unreadable = new Set(current.invalid.map((f) => f.path));
  const changes: FileChange[] = [];
  for (const service of target) {
    const path = current.paths[service.id] ?? definitionPath(service.id);
    if (unreadable.has(path)) continue;
    const before = currentById.get(service.id);
    if (before && deepEqual(before, service)) continue;
    const content = renderDefinitionFile(service, contentOf.get(path));
    if (content !== contentOf.get(path)) changes.push({ path, content });
  }
  for (const service of current.services) {
    const path = current.paths[service.id];
    if (!targetIds.has(service.id) && path !== undefined) changes.push({ path, content: null });
  }
  return changes;
}

function byPath(a: SourceFile, b: SourceFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
