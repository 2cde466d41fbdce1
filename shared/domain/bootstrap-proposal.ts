import semver from 'semver';
import { COMPOSE, linkDependencies, packageNameOf } from './bootstrap-dependencies.ts';
import { plainParagraph } from './markdown-text.ts';
import { parseService } from './parse-service.ts';
import type { ServiceDefinition } from './service-schema.ts';
import { slugify } from './slugify.ts';
import { detectFromManifest, MANIFEST_NAMES, techKey } from './tech-detect.ts';

/**
 * Bootstrapping a link from a repository that has no definitions yet: which files to read (the
 * README, manifests, compose, Cloud Run and Kubernetes manifests, and `services/<name>/`) and the
 * deterministic proposal built from them. Pure: repository text is data; nothing here runs or
 * follows it, and every proposed service passes the same schema as a hand-written definition.
 */

interface BootstrapFile {
  path: string;
  content: string;
}

export interface ProposedService {
  service: ServiceDefinition;
  /** Files the proposal is based on. */
  sources: string[];
  /** The service's own README, first paragraph (plain text), for a model to enrich from. */
  readme?: string;
}

interface BootstrapProposal {
  services: ProposedService[];
  /** The repository's README, first paragraphs (plain text, bounded). */
  readme?: string;
  /** What the proposal could not do (too many services, a manifest that did not parse). */
  notes: string[];
}

/** At most this many services are proposed; the rest are named in the notes. */
const MAX_PROPOSED_SERVICES = 100;
const MAX_DESCRIPTION = 300;
const MAX_README = 4000;

const README = /^readme(\.(md|markdown|txt|rst))?$/i;
const DEPLOY_DIRS = /^(k8s|kubernetes|deploy|deployment|manifests|cloudrun|\.cloudrun)\//i;
const SERVICE_FILE = /^(service|cloudrun|app)\.ya?ml$/i;

/** Whether the bootstrap reads a file. */
export function wantsBootstrapFile(path: string): boolean {
  const parts = path.split('/');
  const name = parts.at(-1) ?? '';
  if (parts.length === 1)
    return README.test(name) || MANIFEST_NAMES.has(name) || COMPOSE.test(name) || SERVICE_FILE.test(name);
  if (parts[0] === 'services' && parts.length === 3)
    return (
      README.test(name) || MANIFEST_NAMES.has(name) || SERVICE_FILE.test(name) || name.endsWith('.csproj')
    );
  return DEPLOY_DIRS.test(path) && parts.length <= 4 && /\.ya?ml$/i.test(name);
}

/** The first paragraphs of a README as plain text: no markup, no links' targets, no HTML. */
function readmeText(markdown: string, max = MAX_README): string {
  const text = markdown
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/!\[[^\]]*\]\((?:[^()]|\([^()]*\))*\)/g, ' ')
    .replace(/\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
    .replace(/^#+\s*/gm, '')
    .replace(/[*_`>|]/g, '')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
  let out = '';
  for (const p of text) {
    if (out.length + p.length + 2 > max) break;
    out += (out ? '\n\n' : '') + p;
  }
  return out || (text[0] ?? '').slice(0, max);
}

/**
 * Text safe to write into a definition and show anywhere: no markup (tags, angle brackets,
 * backticks), no control characters, one line, bounded (plainParagraph without the markup).
 */
export function plainText(text: string, max: number): string {
  return plainParagraph(text.replace(/<[^>]*>/g, ' ').replace(/[<>`]/g, ' '), max);
}

/** A description from a README: its first paragraph that is not the title, bounded. */
function describe(readme: string | undefined): string | undefined {
  if (!readme) return undefined;
  const paragraphs = readme.split('\n\n');
  const first = paragraphs.find((_p, i) => i > 0 || paragraphs.length === 1) ?? paragraphs[0];
  if (!first) return undefined;
  return plainText(first, MAX_DESCRIPTION) || undefined;
}

function humanize(folder: string): string {
  return folder
    .split(/[-_.\s]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

const FRONTEND = new Set(['react', 'nextjs', 'vue', 'angular', 'svelte'].map(techKey));
const DATASTORES = new Set(['postgresql', 'mongodb', 'redis', 'mysql'].map(techKey));

/** A layer only where the evidence is plain; the rest is left for a person (or a model) to say. */
function guessLayer(id: string, technologies: string[]): string | undefined {
  const keys = technologies.map(techKey);
  if (keys.some((k) => FRONTEND.has(k)) || /(^|-)(web|ui|frontend|app)($|-)/.test(id)) return 'Frontend';
  if (/(^|-)(gateway|proxy|edge)($|-)/.test(id)) return 'Edge';
  if (/(^|-)(db|store|storage|persistence|data)($|-)/.test(id) && keys.some((k) => DATASTORES.has(k)))
    return 'Persistence';
  return undefined;
}

interface Draft {
  id: string;
  folder: string;
  name: string;
  path?: string;
  technologies: string[];
  version?: string;
  packageName?: string;
  dependencies: Set<string>;
  sources: string[];
  readme?: string;
}

/**
 * The deterministic proposal: one service per folder under `services/`, or, without any, one for the
 * repository itself from its root manifests. Technologies and versions come from the manifests
 * (the drift report's detector), descriptions from READMEs, dependencies from compose `depends_on`
 * and service URLs in its environment, and from one service's manifest naming another's package.
 */
export function proposeDefinitions(input: {
  repoName: string;
  files: readonly BootstrapFile[];
}): BootstrapProposal {
  const notes: string[] = [];
  const byFolder = new Map<string, BootstrapFile[]>();
  for (const f of input.files) {
    const parts = f.path.split('/');
    if (parts[0] === 'services' && parts.length === 3) {
      const list = byFolder.get(parts[1]!) ?? [];
      list.push(f);
      byFolder.set(parts[1]!, list);
    }
  }
  const root = input.files.filter((f) => !f.path.includes('/'));
  const rootReadme = root.find((f) => README.test(f.path));
  const drafts: Draft[] = [];
  const folders = [...byFolder.keys()].sort();
  if (folders.length > MAX_PROPOSED_SERVICES)
    notes.push(`${folders.length} service folders: only the first ${MAX_PROPOSED_SERVICES} are proposed`);
  const seen = new Set<string>();
  for (const folder of folders.slice(0, MAX_PROPOSED_SERVICES)) {
    const id = slugify(folder);
    if (seen.has(id)) {
      notes.push(`services/${folder} has the same id as another folder (${id}): left out`);
      continue;
    }
    seen.add(id);
    drafts.push(draftOf(id, folder, `services/${folder}`, byFolder.get(folder) ?? [], notes));
  }
  if (drafts.length === 0) {
    const name = input.repoName.split('/').at(-1) ?? input.repoName;
    const manifests = root.filter((f) => MANIFEST_NAMES.has(f.path) || README.test(f.path));
    if (manifests.some((f) => MANIFEST_NAMES.has(f.path)))
      drafts.push(draftOf(slugify(name), name, undefined, manifests, notes));
    else notes.push('No folder under services/ and no manifest at the root: no service to propose');
  }
  linkDependencies(drafts, input.files, notes);
  const services: ProposedService[] = [];
  for (const d of drafts) {
    const layer = guessLayer(d.id, d.technologies);
    const description = describe(d.readme);
    const candidate: Record<string, unknown> = {
      id: d.id,
      name: d.name,
      ...(layer ? { layer } : {}),
      ...(d.version ? { version: d.version } : {}),
      status: 'active',
      ...(d.technologies.length ? { technologies: d.technologies.slice(0, 100) } : {}),
      ...(d.path ? { path: d.path } : {}),
      ...(d.dependencies.size ? { dependencies: [...d.dependencies].sort() } : {}),
      ...(description ? { description } : {}),
    };
    const parsed = parseService(candidate, { idFallback: d.id });
    if (!parsed.ok) {
      notes.push(`${d.id}: not proposed (${parsed.issues.map((i) => `${i.field} ${i.message}`).join('; ')})`);
      continue;
    }
    services.push({ service: parsed.service, sources: d.sources, ...(d.readme ? { readme: d.readme } : {}) });
  }
  return { services, notes, ...(rootReadme ? { readme: readmeText(rootReadme.content) } : {}) };
}

function draftOf(
  id: string,
  folder: string,
  path: string | undefined,
  files: BootstrapFile[],
  notes: string[],
): Draft {
  const technologies: string[] = [];
  let version: string | undefined;
  let packageName: string | undefined;
  let readme: string | undefined;
  for (const f of files) {
    const name = f.path.split('/').at(-1) ?? '';
    if (README.test(name)) {
      readme = readmeText(f.content, 1500);
      continue;
    }
    if (!MANIFEST_NAMES.has(name)) continue;
    const facts = detectFromManifest(name, f.content);
    for (const t of facts.technologies)
      if (!technologies.some((x) => techKey(x) === techKey(t))) technologies.push(t);
    if (!version && facts.version) {
      if (semver.valid(facts.version) === facts.version) version = facts.version;
      else notes.push(`${f.path}: version "${facts.version.slice(0, 40)}" is not semver; left out`);
    }
    if (name === 'package.json') packageName = packageNameOf(f.content);
  }
  return {
    id,
    folder,
    name: plainText(humanize(folder), 200) || id,
    ...(path ? { path } : {}),
    technologies,
    ...(version ? { version } : {}),
    ...(packageName ? { packageName } : {}),
    dependencies: new Set(),
    sources: files.map((f) => f.path).sort(),
    ...(readme ? { readme } : {}),
  };
}
