import { createHmac } from 'node:crypto';
import {
  type DesignExport,
  definitionPath,
  parseDefinitionFile,
  type ServiceDefinition,
} from '../../../shared/domain/index.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../../support/loopback-drive/index.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../../support/loopback-github/index.ts';
import { designOf, repoFiles, services } from '../../sync/support.ts';

export const GITHUB_TOKEN = 'ghp_resiliencetesttoken00000000000000';
export const GOOGLE_TOKEN = 'ya29.resilience-test-token';
export const WEBHOOK_SECRET = 'resilience-webhook-secret';
export const FILE_ID = 'design-file-1';
export const REPO = 'acme/platform';

/** The two outside services (loopback GitHub and Drive, real wire formats) and how to read and edit them. */
export interface World {
  github: LoopbackGithub;
  drive: LoopbackDrive;
  /** Bridge environment pointing at the loopback servers. */
  env: Record<string, string>;
  design(): DesignExport;
  setDesign(design: DesignExport): void;
  /** Edits one field of one component in the design file (as a person in the visualizer would). */
  editDesign(serviceId: string, field: string, value: unknown): void;
  /** Commits a change to one definition on `main` (as a person would); returns the commit sha. */
  editDefinition(serviceId: string, field: keyof ServiceDefinition, value: string): string;
  definitions(ref?: string): Map<string, ServiceDefinition>;
  /** Commits on `main` written by the bridge (they carry the Bridge-Sync trailer). */
  bridgeCommits(ref?: string): Array<{ sha: string; message: string }>;
  /** A signed push webhook body and headers for a commit on main. */
  pushDelivery(after: string, deliveryId?: string): { body: string; headers: Record<string, string> };
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const github = await startLoopbackGithub({
    repos: { [REPO]: { files: repoFiles(services()) } },
    auth: { tokens: [GITHUB_TOKEN] },
  });
  const drive = await startLoopbackDrive({
    files: {
      [FILE_ID]: { name: 'architecture.json', content: JSON.stringify(designOf(services()), null, 2) },
    },
    accessToken: GOOGLE_TOKEN,
    autoNotify: false,
  });
  const repo = () => github.repo(REPO);
  const world: World = {
    github,
    drive,
    env: {
      GITHUB_TOKEN,
      GITHUB_API_URL: github.url,
      GOOGLE_ACCESS_TOKEN: GOOGLE_TOKEN,
      DRIVE_API_ROOT_URL: drive.url,
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
    design: () => JSON.parse(drive.file(FILE_ID)?.content ?? '{}') as DesignExport,
    setDesign: (design) => drive.setContent(FILE_ID, JSON.stringify(design, null, 2)),
    editDesign(serviceId, field, value) {
      const design = world.design();
      const component = design.components.find((c) => c.service_id === serviceId);
      if (!component) throw new Error(`no component ${serviceId}`);
      component[field] = value;
      world.setDesign(design);
    },
    editDefinition(serviceId, field, value) {
      const path = definitionPath(serviceId);
      const current = world.definitions().get(serviceId);
      if (!current) throw new Error(`no definition ${serviceId}`);
      const text = repo().files('main')[path]!;
      const line = new RegExp(`^${field}: .*$`, 'm');
      if (!line.test(text)) throw new Error(`definition ${serviceId} has no ${field} line`);
      return repo().commitFiles('main', { [path]: text.replace(line, `${field}: ${value}`) });
    },
    definitions(ref = 'main') {
      const out = new Map<string, ServiceDefinition>();
      for (const [path, text] of Object.entries(repo().files(ref))) {
        if (!path.startsWith('architecture/definitions/')) continue;
        const parsed = parseDefinitionFile(path, text);
        if (parsed.ok) out.set(parsed.service.id, parsed.service);
      }
      return out;
    },
    bridgeCommits: (ref = 'main') =>
      repo()
        .commits(ref)
        .filter((c) => /Bridge-Sync: /.test(c.message))
        .map((c) => ({ sha: c.sha, message: c.message })),
    pushDelivery(after, deliveryId = `delivery-${after}`) {
      const body = JSON.stringify({
        ref: 'refs/heads/main',
        after,
        repository: { full_name: REPO, name: 'platform', owner: { login: 'acme' } },
        commits: [{ id: after, message: 'Edit definitions by hand', author: { name: 'dev' } }],
        head_commit: { id: after, message: 'Edit definitions by hand' },
      });
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': deliveryId,
          'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`,
        },
      };
    },
    async close() {
      await github.close();
      await drive.close();
    },
  };
  return world;
}
