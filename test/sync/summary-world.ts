import { expect } from 'vitest';
import type { DesignExport } from '../../shared/domain/index.ts';
import type { Link, Operation } from '../../shared/records/index.ts';
import type { TestBridge } from '../support/bridge.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import type { LoopbackDrive } from '../support/loopback-drive/index.ts';
import type { LoopbackGithub } from '../support/loopback-github/index.ts';
import { startLoopbackBridge } from './support.ts';

const GITHUB_TOKEN = 'ghp_loopbacktesttoken0000000000000000';
const GOOGLE_TOKEN = 'ya29.loopback-test-token';
const FILE_ID = 'design-file-summary';

export const MODEL_PARAGRAPH =
  'Persistence moves to 2.0.0, a major version that may break Application Core and Finance Sync, which depend on it.';

export interface SummaryWorld {
  ai: LoopbackAi;
  github: LoopbackGithub;
  drive: LoopbackDrive;
  bridge: TestBridge;
  /** A link under `writes: pull-request` between the loopback repository and design, first sync done. */
  pullRequestLink(): Promise<Link>;
  /** Queues a sync through the API, waits until the bus is idle, returns the operation. */
  sync(linkId: string): Promise<Operation>;
  /** Writes a new revision of the design (an edit of nothing: the same content, a new revision). */
  editDesign(edit: (design: DesignExport) => void): void;
  /** The link's one pull request. */
  pull(): { title: string; body: string | null } | undefined;
  modelCalls(): number;
  /** The system and user text of the i-th model request. */
  promptOf(i: number): { system: string; user: string };
  close(): Promise<void>;
}

/**
 * The real server with loopback GitHub and Drive (the spec's example architecture on both sides) and
 * a loopback OpenAI as the only AI provider (`env` adds settings; `OPENAI_API_KEY: ''` turns it off).
 */
export async function startSummaryWorld(env: Record<string, string> = {}): Promise<SummaryWorld> {
  const loop = await startLoopbackAi();
  let aiClosed: Promise<void> | undefined;
  // Closing twice (a test that takes the provider away, then the world's close) closes once.
  const ai: LoopbackAi = { ...loop, close: () => (aiClosed ??= loop.close()) };
  const world = await startLoopbackBridge({
    githubToken: GITHUB_TOKEN,
    googleToken: GOOGLE_TOKEN,
    fileId: FILE_ID,
    env: { OPENAI_API_KEY: 'sk-loopback-openai', OPENAI_BASE_URL: ai.baseUrls.openai, ...env },
  });
  const { github, drive, bridge } = world;
  const design = (): DesignExport => JSON.parse(drive.file(FILE_ID)?.content ?? '{}') as DesignExport;
  return {
    ai,
    github,
    drive,
    bridge,
    async pullRequestLink() {
      const created = await bridge.api<Link>('POST', '/api/v1/links', {
        repo: 'https://github.com/acme/platform',
        design: `https://drive.google.com/file/d/${FILE_ID}/view`,
        policy: { writes: 'pull-request' },
      });
      expect(created.status).toBe(201);
      await bridge.idle();
      return created.body;
    },
    async sync(linkId) {
      const queued = await bridge.api<{ operationId: string }>('POST', `/api/v1/links/${linkId}/sync`, {});
      expect(queued.status).toBe(202);
      await bridge.idle();
      return (await bridge.api<Operation>('GET', `/api/v1/operations/${queued.body.operationId}`)).body;
    },
    editDesign(edit) {
      const next = design();
      edit(next);
      drive.setContent(FILE_ID, JSON.stringify(next, null, 2));
    },
    pull: () => github.repo('acme/platform').pulls[0],
    modelCalls: () => ai.requests.filter((r) => r.provider === 'openai').length,
    promptOf(i) {
      const messages = ai.requests[i]?.body.messages as Array<{ role: string; content: string }>;
      return {
        system: messages.find((m) => m.role === 'system')?.content ?? '',
        user: messages.find((m) => m.role === 'user')?.content ?? '',
      };
    },
    async close() {
      await world.close();
      await ai.close();
    },
  };
}
