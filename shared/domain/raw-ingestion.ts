import { definitionFileId, definitionPath, parseYamlValue, renderDefinitionFile } from './definition-yaml.ts';
import { DesignExport, designToServices } from './design-export.ts';
import type { FileChange, FileIssue, SourceFile } from './files.ts';
import { measureJson } from './json-size.ts';
import { type FieldIssue, formatIssues, parseService } from './parse-service.ts';
import {
  findUnsafeStructure,
  isPlainObject,
  MAX_DEFINITION_BYTES,
  MAX_SNAPSHOT_BYTES,
  MAX_TEXT_BYTES,
} from './safe-input.ts';
import type { ServiceDefinition } from './service-schema.ts';

export const RAW_DIR = 'architecture/raw/';

export interface IngestionResult {
  /** Definition files to create and raw files to delete, to commit together. */
  changes: FileChange[];
  /** Services the accepted files brought, in file order. */
  services: ServiceDefinition[];
  accepted: Array<{ path: string; serviceIds: string[] }>;
  /** Raw files that stay where they are, and why. */
  rejected: FileIssue[];
}

export function isRawPath(path: string): boolean {
  return path.startsWith(RAW_DIR);
}

/**
 * Moves valid files of the `architecture/raw/` drop zone into `architecture/definitions/`, one file
 * per service. A file is taken whole or not at all: an invalid one stays with its reason. A file that
 * brings an id already defined (or brought by an earlier raw file, in path order) is refused, so a
 * drop never overwrites a definition. Files outside raw/, dotfiles and READMEs are not touched.
 */
export function ingestRawFiles(files: readonly SourceFile[]): IngestionResult {
  const taken = new Map<string, string>();
  for (const file of files) {
    const id = definitionFileId(file.path);
    if (id !== undefined && !taken.has(id)) taken.set(id, file.path);
  }
  const result: IngestionResult = { changes: [], services: [], accepted: [], rejected: [] };
  const raw = files
    .filter((f) => isRawPath(f.path) && !isIgnored(f.path))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const file of raw) {
    const read = readRawFile(file);
    if (!read.ok) {
      result.rejected.push({ path: file.path, reason: formatIssues(read.issues), issues: read.issues });
      continue;
    }
    const oversized = read.services.find((s) => !measureJson(s, MAX_DEFINITION_BYTES).ok);
    if (oversized) {
      const message = `service "${oversized.id}" is larger than ${MAX_DEFINITION_BYTES} bytes, the limit of one definition`;
      result.rejected.push({ path: file.path, reason: message, issues: [{ field: 'id', message }] });
      continue;
    }
    const clash = read.services.find((s) => taken.has(s.id));
    if (clash) {
      const message = `id "${clash.id}" is already defined in ${taken.get(clash.id)}; edit that file instead`;
      result.rejected.push({ path: file.path, reason: message, issues: [{ field: 'id', message }] });
      continue;
    }
    for (const service of read.services) {
      taken.set(service.id, file.path);
      result.changes.push({ path: definitionPath(service.id), content: renderDefinitionFile(service) });
      result.services.push(service);
    }
    result.changes.push({ path: file.path, content: null });
    result.accepted.push({ path: file.path, serviceIds: read.services.map((s) => s.id) });
  }
  return result;
}

type RawRead = { ok: true; services: ServiceDefinition[] } | { ok: false; issues: FieldIssue[] };

/** The services a raw file holds: one service, a list, `{services: [...]}` or a whole design export. */
export function readRawFile(file: SourceFile): RawRead {
  const value = parseRawValue(file);
  if (!value.ok) return { ok: false, issues: [{ field: '', message: value.reason }] };
  const unsafe = findUnsafeStructure(value.value);
  if (unsafe) return { ok: false, issues: [{ field: '', message: unsafe }] };
  const content = value.value;
  if (isPlainObject(content) && Array.isArray(content.components)) {
    const design = DesignExport.safeParse(content);
    if (!design.success)
      return { ok: false, issues: [{ field: 'components', message: 'must be a list of objects' }] };
    const services = designToServices(design.data);
    if (services.ok) return services;
    return {
      ok: false,
      issues: services.issues.map((i) => ({ field: `components[${i.index}]`, message: i.reason })),
    };
  }
  if (Array.isArray(content)) return readList(content, '');
  if (isPlainObject(content) && Array.isArray(content.services))
    return readList(content.services, 'services');
  const single = parseService(content);
  return single.ok ? { ok: true, services: [single.service] } : single;
}

function readList(items: unknown[], prefix: string): RawRead {
  if (items.length === 0) return { ok: false, issues: [{ field: prefix, message: 'holds no services' }] };
  const services: ServiceDefinition[] = [];
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const at = `${prefix}[${index}]`;
    const parsed = parseService(item);
    if (!parsed.ok) {
      for (const issue of parsed.issues)
        issues.push({ field: issue.field ? `${at}.${issue.field}` : at, message: issue.message });
    } else if (seen.has(parsed.service.id)) {
      issues.push({ field: `${at}.id`, message: `"${parsed.service.id}" appears twice in this file` });
    } else {
      seen.add(parsed.service.id);
      services.push(parsed.service);
    }
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, services };
}

function parseRawValue(file: SourceFile): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (file.unreadable !== undefined) return { ok: false, reason: file.unreadable };
  const lower = file.path.toLowerCase();
  if (lower.endsWith('.json')) {
    if (file.content.length > MAX_TEXT_BYTES)
      return { ok: false, reason: `larger than ${MAX_TEXT_BYTES} bytes` };
    let value: unknown;
    try {
      value = JSON.parse(file.content);
    } catch {
      // The parser's message quotes the content; the reason is shown in commit statuses and the API.
      return { ok: false, reason: 'not valid JSON' };
    }
    const size = measureJson(value, MAX_SNAPSHOT_BYTES);
    if (!size.ok && size.problem === 'too-large')
      return { ok: false, reason: `holds more than ${MAX_SNAPSHOT_BYTES} bytes as compact JSON` };
    return { ok: true, value };
  }
  // A raw file may hold a whole architecture, so its bound is a snapshot's, not one definition's.
  if (lower.endsWith('.yaml') || lower.endsWith('.yml'))
    return parseYamlValue(file.content, MAX_SNAPSHOT_BYTES);
  return { ok: false, reason: 'only .json, .yaml and .yml files are ingested' };
}

function isIgnored(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.startsWith('.') || /^readme(\.|$)/i.test(name);
}
