import { parse as parseYaml } from 'yaml';
import { slugify } from './slugify.ts';

/**
 * Dependencies between the services a bootstrap proposes, from what the repository itself says:
 * compose `depends_on`, another service's name as the host of a URL in a compose environment, and
 * one service's package.json naming another's package. Pure; a file that does not parse is noted.
 */

export const COMPOSE = /^(docker-)?compose(\.[a-z0-9-]+)?\.ya?ml$/i;

/** What the linking needs of a proposed service. */
export interface DependencyDraft {
  id: string;
  packageName?: string;
  dependencies: Set<string>;
}

/** A package.json's own `name`, lowercased (how other services' manifests name it). */
export function packageNameOf(content: string): string | undefined {
  try {
    const pkg = JSON.parse(content) as { name?: unknown };
    return typeof pkg.name === 'string' ? pkg.name.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

function packageDependencies(content: string): string[] {
  try {
    const pkg = JSON.parse(content) as Record<string, unknown>;
    return ['dependencies', 'peerDependencies'].flatMap((k) =>
      typeof pkg[k] === 'object' && pkg[k] !== null
        ? Object.keys(pkg[k] as object).map((d) => d.toLowerCase())
        : [],
    );
  } catch {
    return [];
  }
}

const YAML_OPTIONS = { maxAliasCount: 50, uniqueKeys: false, prettyErrors: false } as const;

/** Adds to each draft's `dependencies` the other drafts the repository says it depends on. */
export function linkDependencies(
  drafts: DependencyDraft[],
  files: ReadonlyArray<{ path: string; content: string }>,
  notes: string[],
): void {
  const byId = new Map(drafts.map((d) => [d.id, d]));
  const add = (from: string, to: string) => {
    if (from !== to && byId.has(from) && byId.has(to)) byId.get(from)!.dependencies.add(to);
  };
  // One service's package.json naming another's package.
  const byPackage = new Map(drafts.filter((d) => d.packageName).map((d) => [d.packageName!, d.id]));
  for (const f of files) {
    const parts = f.path.split('/');
    if (parts[0] !== 'services' || parts[2] !== 'package.json') continue;
    for (const dep of packageDependencies(f.content)) {
      const target = byPackage.get(dep);
      if (target) add(slugify(parts[1]!), target);
    }
  }
  // Compose: depends_on, and another service's name as the host of a URL in the environment.
  for (const f of files.filter((x) => !x.path.includes('/') && COMPOSE.test(x.path))) {
    let doc: unknown;
    try {
      doc = parseYaml(f.content, YAML_OPTIONS);
    } catch {
      notes.push(`${f.path}: not valid YAML; its dependencies are not read`);
      continue;
    }
    const services = (doc as { services?: unknown } | null)?.services;
    if (typeof services !== 'object' || services === null) continue;
    const names = Object.keys(services);
    for (const [name, spec] of Object.entries(services as Record<string, unknown>)) {
      if (typeof spec !== 'object' || spec === null) continue;
      const s = spec as { depends_on?: unknown; environment?: unknown };
      const deps = Array.isArray(s.depends_on)
        ? s.depends_on
        : typeof s.depends_on === 'object' && s.depends_on !== null
          ? Object.keys(s.depends_on)
          : [];
      for (const d of deps) if (typeof d === 'string') add(slugify(name), slugify(d));
      const env = Array.isArray(s.environment)
        ? s.environment
        : typeof s.environment === 'object' && s.environment !== null
          ? Object.values(s.environment)
          : [];
      for (const value of env) {
        if (typeof value !== 'string') continue;
        for (const other of names)
          if (other !== name && value.includes(`//${other}:`)) add(slugify(name), slugify(other));
      }
    }
  }
}
