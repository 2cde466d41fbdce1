import type { SourceFile } from './files.ts';
import type { ServiceDefinition } from './service-schema.ts';
import { DETECTABLE, detectFromManifest, MANIFEST_NAMES, techKey } from './tech-detect.ts';

export const DRIFT_KINDS = [
  'designed-not-implemented',
  'implemented-not-designed',
  'technology-mismatch',
  'version-mismatch',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface ImplementedService {
  /** Folder name: `services/<name>/`. */
  name: string;
  path: string;
  manifests: string[];
  technologies: string[];
  version?: string;
}

export interface DriftFinding {
  kind: DriftKind;
  /** The architecture's service (absent for implemented-not-designed). */
  serviceId?: string;
  /** The implementation folder (absent for designed-not-implemented). */
  path?: string;
  message: string;
  /** technology-mismatch: declared technologies the manifests do not show, and the reverse. */
  declaredNotDetected?: string[];
  detectedNotDeclared?: string[];
  /** version-mismatch: the version each place gives. */
  versions?: { design?: string; definitions?: string; implementation?: string };
}

export interface DriftReport {
  findings: DriftFinding[];
  summary: Record<DriftKind, number>;
  implemented: ImplementedService[];
}

// Containerization says little about the architecture; reporting it as undeclared would be noise.
const NOT_WORTH_DECLARING = new Set(['docker']);

/** The services implemented in the repository: folders `services/<name>/` holding a known manifest. */
export function implementedServices(manifests: readonly SourceFile[]): ImplementedService[] {
  const byName = new Map<string, ImplementedService>();
  for (const file of manifests) {
    const match = /^services\/([^/]+)\/([^/]+)$/.exec(file.path);
    if (!match || !MANIFEST_NAMES.has(match[2]!)) continue;
    const [, name, manifest] = match as unknown as [string, string, string];
    const service = byName.get(name) ?? { name, path: `services/${name}`, manifests: [], technologies: [] };
    const facts = detectFromManifest(manifest, file.content);
    service.manifests.push(manifest);
    for (const tech of facts.technologies) {
      if (!service.technologies.some((t) => techKey(t) === techKey(tech))) service.technologies.push(tech);
    }
    if (facts.version && (manifest === 'package.json' || !service.version)) service.version = facts.version;
    byName.set(name, service);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Design and definitions against the implementation. A service maps to the folder its `path` names
 * (`services/finance-sync/app` → `finance-sync`), else to the folder named like its id; services whose
 * path is outside `services/` (docs, ...) are not expected to have one. Declared technologies come from
 * the definitions (the repository's view), else from the design.
 */
export function detectDrift(input: {
  design: readonly ServiceDefinition[];
  definitions: readonly ServiceDefinition[];
  manifests: readonly SourceFile[];
}): DriftReport {
  const implemented = implementedServices(input.manifests);
  const implByName = new Map(implemented.map((s) => [s.name, s]));
  const design = new Map(input.design.map((s) => [s.id, s]));
  const definitions = new Map(input.definitions.map((s) => [s.id, s]));
  const ids = [...new Set([...definitions.keys(), ...design.keys()])];
  const findings: DriftFinding[] = [];
  const matched = new Set<string>();

  for (const id of ids) {
    const service = (definitions.get(id) ?? design.get(id)) as ServiceDefinition;
    const folder = implementationFolder(service);
    if (folder === undefined) continue;
    const impl = implByName.get(folder);
    const versions = {
      ...(design.get(id)?.version ? { design: design.get(id)?.version } : {}),
      ...(definitions.get(id)?.version ? { definitions: definitions.get(id)?.version } : {}),
      ...(impl?.version ? { implementation: impl.version } : {}),
    };
    if (new Set(Object.values(versions)).size > 1) {
      const list = Object.entries(versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      findings.push({
        kind: 'version-mismatch',
        serviceId: id,
        ...(impl ? { path: impl.path } : {}),
        message: `${id}: versions differ (${list})`,
        versions,
      });
    }
    if (!impl) {
      if (service.status === undefined || service.status === 'active') {
        findings.push({
          kind: 'designed-not-implemented',
          serviceId: id,
          message: `${service.name} (${id}) has no implementation in services/${folder}/`,
        });
      }
      continue;
    }
    matched.add(folder);
    const tech = compareTechnologies(service.technologies ?? [], impl.technologies);
    if (tech.declaredNotDetected.length + tech.detectedNotDeclared.length > 0) {
      findings.push({
        kind: 'technology-mismatch',
        serviceId: id,
        path: impl.path,
        message: describeTech(id, tech),
        ...tech,
      });
    }
  }
  for (const impl of implemented) {
    if (!matched.has(impl.name)) {
      findings.push({
        kind: 'implemented-not-designed',
        path: impl.path,
        message: `${impl.path}/ (${impl.manifests.join(', ')}) is not in the architecture`,
      });
    }
  }
  const summary = Object.fromEntries(
    DRIFT_KINDS.map((k) => [k, findings.filter((f) => f.kind === k).length]),
  );
  return { findings, summary: summary as Record<DriftKind, number>, implemented };
}

function implementationFolder(service: ServiceDefinition): string | undefined {
  if (service.path === undefined) return service.id;
  return /^services\/([^/]+)/.exec(service.path)?.[1];
}

function compareTechnologies(declared: readonly string[], detected: readonly string[]) {
  const declaredKeys = new Set(declared.map(techKey));
  const detectedKeys = new Set(detected.map(techKey));
  return {
    declaredNotDetected: declared.filter((t) => DETECTABLE.has(techKey(t)) && !detectedKeys.has(techKey(t))),
    detectedNotDeclared: detected.filter(
      (t) => !declaredKeys.has(techKey(t)) && !NOT_WORTH_DECLARING.has(techKey(t)),
    ),
  };
}

function describeTech(
  id: string,
  tech: { declaredNotDetected: string[]; detectedNotDeclared: string[] },
): string {
  const parts = [];
  if (tech.declaredNotDetected.length)
    parts.push(`declared but not found: ${tech.declaredNotDetected.join(', ')}`);
  if (tech.detectedNotDeclared.length)
    parts.push(`used but not declared: ${tech.detectedNotDeclared.join(', ')}`);
  return `${id}: ${parts.join('; ')}`;
}
