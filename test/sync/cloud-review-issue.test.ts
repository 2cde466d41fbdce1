import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesignExport } from '../../shared/domain/index.ts';
import type { ConflictRecord, Link } from '../../shared/records/index.ts';
import type { TestBridge } from '../support/bridge.ts';
import type { LoopbackDrive } from '../support/loopback-drive/index.ts';
import type { LoopbackGithub } from '../support/loopback-github/index.ts';
import { startLoopbackBridge } from './support.ts';

const GITHUB_TOKEN = 'ghp_reviewissuetesttoken000000000000';
const GOOGLE_TOKEN = 'ya29.review-issue-test-token';
const FILE_ID = 'design-file-1';

describe('the review issue on GitHub (loopback, every request and answer checked against the OpenAPI schema)', () => {
  let github: LoopbackGithub;
  let drive: LoopbackDrive;
  let bridge: TestBridge;

  let world: Awaited<ReturnType<typeof startLoopbackBridge>>;

  beforeEach(async () => {
    world = await startLoopbackBridge({
      githubToken: GITHUB_TOKEN,
      googleToken: GOOGLE_TOKEN,
      fileId: FILE_ID,
    });
    ({ github, drive, bridge } = world);
  });
  afterEach(async () => {
    await world.close();
  });

  const design = (): DesignExport => JSON.parse(drive.file(FILE_ID)?.content ?? '{}') as DesignExport;
  const issues = () => github.repo('acme/platform').issues;
  const sync = async (id: string) => {
    await bridge.api('POST', `/api/v1/links/${id}/sync`, {});
    await bridge.idle();
  };

  it('opens one issue for the removals, edits it as they change, closes it with a comment', async () => {
    const created = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: `https://drive.google.com/file/d/${FILE_ID}/view`,
      policy: { writes: 'direct' },
    });
    expect(created.status).toBe(201);
    await bridge.idle();
    const linkId = created.body.id;

    const edited = design();
    edited.components = edited.components.filter((c) => c.service_id !== 'auth');
    drive.setContent(FILE_ID, JSON.stringify(edited, null, 2));
    await sync(linkId);
    expect(issues()).toHaveLength(1);
    expect(issues()[0]).toMatchObject({ state: 'open', labels: ['integration', 'architecture-review'] });
    expect(issues()[0]?.body).toMatch(/- \[ \] `auth`: removed from the design/);

    // An unrelated sync changes nothing in the issue: no edit request is sent.
    const patches = () => github.requests.filter((r) => r.method === 'PATCH' && /\/issues\//.test(r.path));
    await sync(linkId);
    expect(patches()).toHaveLength(0);

    edited.components = edited.components.filter((c) => c.service_id !== 'core');
    drive.setContent(FILE_ID, JSON.stringify(edited, null, 2));
    await sync(linkId);
    expect(issues()).toHaveLength(1);
    expect(issues()[0]?.title).toMatch(/2 service removals awaiting review/);
    expect(patches()).toHaveLength(1);

    const open = (
      await bridge.api<{ items: ConflictRecord[] }>('GET', `/api/v1/links/${linkId}/conflicts?state=open`)
    ).body.items;
    expect(open.map((c) => c.issueUrl)).toEqual(
      [issues()[0]?.number, issues()[0]?.number].map(
        (n) => `${github.url.replace(/\/$/, '')}/acme/platform/issues/${n}`,
      ),
    );
    for (const c of open) {
      await bridge.api('POST', `/api/v1/links/${linkId}/conflicts/${c.id}/resolve`, { take: 'definitions' });
    }
    await bridge.idle();
    expect(issues()[0]).toMatchObject({ state: 'closed' });
    expect(issues()[0]?.comments).toHaveLength(1);
    expect(design().components.map((c) => c.service_id)).toEqual(expect.arrayContaining(['auth', 'core']));
    github.assertValid();
  });
});
