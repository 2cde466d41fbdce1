import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionPath } from '../../shared/domain/index.ts';
import { createLocalGitRepoProvider } from '../../shared/providers/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { commitFiles, createBareRepo, git, gitLog, readFileAt } from '../support/local-git.ts';
import { createLocalLink, designOf, type LocalLink, repoFiles, services } from '../sync/support.ts';
import { expectError, send } from './support.ts';

/** Every path in the branch's tree. */
async function tree(repoDir: string): Promise<string[]> {
  return (await git(repoDir, ['ls-tree', '-r', '--name-only', 'main'])).split('\n').filter(Boolean);
}

describe('path traversal in designs and definitions is refused with a reason, nothing written', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge();
    await createBareRepo(join(bridge.dir, 'urls.git'), repoFiles(services()));
  });
  afterAll(async () => {
    await bridge?.close();
  });

  async function expectBlocked(link: LocalLink, reason: RegExp) {
    const commits = (await gitLog(link.repoDir, 'main')).length;
    const designBefore = await readFile(link.designFile);
    const op = await link.sync();
    expect(op).toMatchObject({ status: 'failed', outcome: 'blocked' });
    expect(op.error?.message).toMatch(reason);
    expect((await gitLog(link.repoDir, 'main')).length).toBe(commits);
    expect((await readFile(link.designFile)).equals(designBefore)).toBe(true);
    for (const path of await tree(link.repoDir)) expect(path).not.toMatch(/(^|\/)\.\.(\/|$)/);
  }

  it.each([
    ['a .. path', '../../etc', /component 0 "[^"]+": .*path leaves the repository/],
    ['a path that climbs out midway', 'services/../../../x', /path leaves the repository/],
    ['an absolute path', '/etc/passwd', /path is absolute/],
    ['a URL-encoded ..', '%2e%2e/%2e%2e/etc', /path contains a URL-encoded character/],
    ['backslashes', 'services\\..\\..\\x', /path contains a backslash/],
    ['fullwidth dots', '\uff0e\uff0e/x', /path leaves the repository/],
    ['a path into .git', '.git/hooks', /path points into \.git/],
    ['a drive letter', 'C:/Windows', /path starts with a drive letter/],
    ['a NUL byte', 'services/x\u0000/../../y', /path contains a control character/],
  ])('design component with %s', async (_name, path, reason) => {
    const link = await createLocalLink(bridge);
    const design = designOf(services());
    (design.components[0] as Record<string, unknown>).github_path = path;
    await link.writeDesign(design);
    await expectBlocked(link, reason);
  });

  it.each([['../evil'], ['..'], ['a/b'], ['%2e%2e']])(
    'design component id %j (the definition file name) is refused',
    async (id) => {
      const link = await createLocalLink(bridge);
      const design = designOf(services());
      (design.components[0] as Record<string, unknown>).service_id = id;
      await link.writeDesign(design);
      await expectBlocked(link, /lowercase kebab-case slug/);
    },
  );

  it('a definition file whose path leaves the repository blocks the sync and names the file', async () => {
    const link = await createLocalLink(bridge);
    const file = definitionPath('auth');
    const text = (await readFileAt(link.repoDir, 'main', file))!;
    await commitFiles(link.repoDir, 'main', {
      [file]: text.replace(/^path: .*$/m, 'path: ../../../etc'),
    });
    await expectBlocked(link, /architecture\/definitions\/auth\.yaml \(path: path leaves the repository/);
  });

  it.each([
    ['an id that climbs out', 'evil.json', JSON.stringify({ id: '../../evil', name: 'Evil' })],
    ['an absolute code path', 'abs.yaml', 'id: abs\nname: Abs\npath: /etc/passwd\n'],
    ['an encoded code path', 'enc.yaml', 'id: enc\nname: Enc\npath: "%2e%2e/secret"\n'],
  ])('a raw drop-zone file with %s stays where it is and is reported', async (_name, file, content) => {
    const link = await createLocalLink(bridge);
    const sha = await commitFiles(link.repoDir, 'main', { [`architecture/raw/${file}`]: content });
    const before = await tree(link.repoDir);
    const op = await link.sync();
    expect(op.status).toBe('succeeded');
    expect(await tree(link.repoDir)).toEqual(before);
    expect(await readFileAt(link.repoDir, 'main', `architecture/raw/${file}`)).toBe(content);
    const head = (await gitLog(link.repoDir, 'main'))[0]?.sha ?? sha;
    const statuses = await createLocalGitRepoProvider({ path: link.repoDir }).commitStatuses(head);
    expect(statuses['bridge/raw-ingestion']).toMatchObject({ state: 'failure' });
    expect(statuses['bridge/raw-ingestion']?.description).toContain(`architecture/raw/${file}`);
  });

  it.each([
    ['.. segments', 'file:///tmp/../etc/passwd'],
    ['encoded .. segments', 'file:///tmp/%2e%2e/etc/passwd'],
    ['an encoded slash', 'file:///tmp/..%2fetc/passwd'],
    ['a host', 'file://evil.example/etc/passwd'],
    ['a relative path', 'file:etc/passwd'],
  ])('a design file URL with %s is refused at link creation', async (_name, design) => {
    const res = await send(bridge.url, 'POST', '/api/v1/links', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repo: pathToFileURL(join(bridge.dir, 'urls.git')).href, design }),
    });
    expect(expectError(res, 400, 'validation_failed')).toMatch(/design/);
  });

  it('a traversal in an API path parameter is a plain 404', async () => {
    for (const path of [
      '/api/v1/links/..%2F..%2Fapi-keys',
      '/api/v1/links/%2e%2e',
      '/api/v1/operations/..%2fx',
    ]) {
      const res = await send(bridge.url, 'GET', path);
      expect([400, 404]).toContain(res.status);
    }
  });
});
