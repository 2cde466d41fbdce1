import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type DesignExport,
  definitionPath,
  exampleDesignExport,
  exampleImplementationFiles,
  renderDefinitionFile,
  type ServiceDefinition,
} from '../../shared/domain/index.ts';
import type { Operation } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { createBareRepo } from '../support/local-git.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../support/loopback-drive/index.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../support/loopback-github/index.ts';

/** The spec's example architecture as services (object mother), with per-test changes. */
export function services(): ServiceDefinition[] {
  return exampleDesignExport().components.map((c) => ({
    id: c.service_id as string,
    name: c.name as string,
    layer: c.name as string,
    version: c.version as string,
    status: 'active' as const,
    technologies: c.technologies as string[],
    path: (c.github_path as string).replace(/^\//, ''),
    dependencies: (c.dependencies as string[]) ?? [],
  }));
}

export function repoFiles(
  defs: readonly ServiceDefinition[],
  extra: Record<string, string> = {},
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of exampleImplementationFiles()) files[f.path] = f.content;
  for (const s of defs) files[definitionPath(s.id)] = renderDefinitionFile(s);
  return { ...files, ...extra };
}

export function designOf(list: readonly ServiceDefinition[]): DesignExport {
  return {
    source: 'AI Studio Visualizer',
    export_format: 'architecture_definition.json',
    components: list.map((s) => ({
      service_id: s.id,
      name: s.name,
      ...(s.layer ? { ai_studio_component: s.layer } : {}),
      version: s.version,
      status: s.status,
      technologies: s.technologies,
      github_path: s.path,
      dependencies: s.dependencies,
    })),
  };
}

export interface LocalLink {
  id: string;
  repoDir: string;
  designFile: string;
  readDesign(): Promise<DesignExport>;
  writeDesign(design: DesignExport): Promise<void>;
  /** Queues a sync through the API and waits until the bus is idle; returns the operation. */
  sync(body?: Record<string, unknown>): Promise<Operation>;
}

export async function createLocalLink(
  bridge: TestBridge,
  options: {
    defs?: ServiceDefinition[];
    design?: DesignExport;
    policy?: Record<string, unknown>;
    extraFiles?: Record<string, string>;
  } = {},
): Promise<LocalLink> {
  const repoDir = join(bridge.dir, `repo-${Math.random().toString(36).slice(2)}.git`);
  const designFile = join(bridge.dir, `design-${Math.random().toString(36).slice(2)}.json`);
  await createBareRepo(repoDir, repoFiles(options.defs ?? services(), options.extraFiles));
  await writeFile(designFile, `${JSON.stringify(options.design ?? designOf(services()), null, 2)}\n`);
  const created = await bridge.api<{ id: string }>('POST', '/api/v1/links', {
    repo: pathToFileURL(repoDir).href,
    design: pathToFileURL(designFile).href,
    branch: 'main',
    policy: options.policy ?? { writes: 'direct' },
  });
  if (created.status !== 201) throw new Error(`link not created: ${JSON.stringify(created.body)}`);
  await bridge.idle();
  const id = created.body.id;
  return {
    id,
    repoDir,
    designFile,
    readDesign: async () => JSON.parse(await readFile(designFile, 'utf8')) as DesignExport,
    writeDesign: (design) => writeFile(designFile, `${JSON.stringify(design, null, 2)}\n`),
    async sync(body = {}) {
      const queued = await bridge.api<{ operationId: string }>('POST', `/api/v1/links/${id}/sync`, body);
      if (queued.status !== 202) throw new Error(`sync not queued: ${JSON.stringify(queued.body)}`);
      await bridge.idle();
      return (await bridge.api<Operation>('GET', `/api/v1/operations/${queued.body.operationId}`)).body;
    },
  };
}

export function component(design: DesignExport, id: string): Record<string, unknown> {
  const found = design.components.find((c) => c.service_id === id || c.id === id);
  if (!found) throw new Error(`no component ${id}`);
  return found;
}

/**
 * Loopback GitHub (repository acme/platform) and Drive (design file `fileId`) seeded with the
 * spec's example architecture on both sides, accepting only the given credentials.
 */
export async function startExampleLoopbacks(options: {
  githubTokens: string[];
  googleToken: string;
  fileId: string;
}): Promise<{ github: LoopbackGithub; drive: LoopbackDrive }> {
  const github = await startLoopbackGithub({
    repos: { 'acme/platform': { files: repoFiles(services()) } },
    auth: { tokens: options.githubTokens },
  });
  const drive = await startLoopbackDrive({
    files: {
      [options.fileId]: {
        name: 'architecture.json',
        content: JSON.stringify(designOf(services()), null, 2),
      },
    },
    accessToken: options.googleToken,
    autoNotify: false,
  });
  return { github, drive };
}

/** A test bridge whose GitHub and Drive are the example loopbacks (see startExampleLoopbacks). */
export async function startLoopbackBridge(options: {
  githubToken: string;
  googleToken: string;
  fileId: string;
  env?: Record<string, string>;
}): Promise<{ github: LoopbackGithub; drive: LoopbackDrive; bridge: TestBridge; close(): Promise<void> }> {
  const { github, drive } = await startExampleLoopbacks({
    githubTokens: [options.githubToken],
    googleToken: options.googleToken,
    fileId: options.fileId,
  });
  const bridge = await startTestBridge({
    GITHUB_TOKEN: options.githubToken,
    GITHUB_API_URL: github.url,
    GOOGLE_ACCESS_TOKEN: options.googleToken,
    DRIVE_API_ROOT_URL: drive.url,
    ...options.env,
  });
  return {
    github,
    drive,
    bridge,
    async close() {
      await bridge.close();
      await github.close();
      await drive.close();
    },
  };
}
