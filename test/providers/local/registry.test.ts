import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesignProvider, RepoProvider } from '../../../shared/ports/index.ts';
import {
  createProviderRegistry,
  githubHostFromApiUrl,
  parseDesignUrl,
  parseRepoUrl,
} from '../../../shared/providers/index.ts';
import { createBareRepo, tempDir } from '../../support/local-git.ts';

describe('parseRepoUrl', () => {
  it.each([
    ['https://github.com/octo/hello', 'octo', 'hello'],
    ['https://github.com/octo/hello.git', 'octo', 'hello'],
    ['https://github.com/octo/hello/', 'octo', 'hello'],
    ['https://www.github.com/octo/hello', 'octo', 'hello'],
    ['  https://github.com/Octo-Org/my.repo_1  ', 'Octo-Org', 'my.repo_1'],
    ['git@github.com:octo/hello.git', 'octo', 'hello'],
    ['ssh://git@github.com/octo/hello.git', 'octo', 'hello'],
    ['https://github.com/octo/hello?tab=readme#top', 'octo', 'hello'],
  ])('accepts %j as GitHub %s/%s', (url, owner, repo) => {
    expect(parseRepoUrl(url)).toEqual({
      kind: 'github',
      host: 'github.com',
      owner,
      repo,
      url: `https://github.com/${owner}/${repo}`.toLowerCase(),
    });
  });

  it.each([
    ['file:///srv/repos/app.git', '/srv/repos/app.git'],
    ['file:///srv/repos/app/', '/srv/repos/app'],
    ['file:///srv/my%20repos/app.git', '/srv/my repos/app.git'],
  ])('accepts %j as the local repository %s', (url, path) => {
    const descriptor = parseRepoUrl(url);
    expect(descriptor).toMatchObject({ kind: 'local-git', path });
    expect(parseRepoUrl(descriptor.url)).toEqual(descriptor); // canonical form round-trips
  });

  it('accepts a GitHub Enterprise host only when configured', () => {
    expect(() => parseRepoUrl('https://ghe.example.com/team/app')).toThrow(/unknown host/);
    expect(parseRepoUrl('https://ghe.example.com/team/app', { githubHost: 'ghe.example.com' })).toEqual({
      kind: 'github',
      host: 'ghe.example.com',
      owner: 'team',
      repo: 'app',
      url: 'https://ghe.example.com/team/app',
    });
  });

  it.each([
    ['', /empty/],
    ['github.com/octo/hello', /not an absolute URL/],
    ['http://github.com/octo/hello', /scheme http:/],
    ['ftp://github.com/octo/hello', /scheme ftp:/],
    ['https://gitlab.com/octo/hello', /unknown host gitlab.com/],
    ['https://github.com.evil.com/octo/hello', /unknown host/],
    ['https://github.com/octo', /expected \/<owner>\/<repo>/],
    ['https://github.com/octo/hello/tree/main', /branch/],
    ['https://github.com/-octo/hello', /expected/],
    ['https://github.com/octo/..', /expected/],
    ['https://github.com/octo/hel%20lo', /expected/],
    ['https://github.com/octo/hel\nlo', /whitespace or control/],
    ['https://github.com/octo/hello extra', /whitespace or control/],
    ['https://x:ghp_token@github.com/octo/hello', /credentials/],
    ['https://ghp_token@github.com/octo/hello', /credentials/],
    ['file://host/srv/app.git', /no host/],
    ['file://localhost/srv/app.git', /no host/],
    ['file:relative/app.git', /no host/],
    ['file:///srv/../etc/app.git', /traversal|normalized/],
    ['file:///srv/%2e%2e/etc/app.git', /normalized/],
    ['file:///srv/a%2Fb/app.git', /normalized/],
    ['file:///srv//app.git', /normalized/],
    ['file:///srv/app.git?x=1', /query/],
    ['file:///srv/app%00.git', /normalized/],
    ['file:///', /root/],
    ['javascript:alert(1)', /scheme/],
    ['/srv/app.git', /not an absolute URL/],
    ['../app.git', /not an absolute URL/],
  ])('rejects %j listing the accepted forms', (url, reason) => {
    let error: unknown;
    try {
      parseRepoUrl(url);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(reason) });
    expect((error as Error).message).toContain('https://github.com/<owner>/<repo>');
    expect((error as Error).message).toContain('file:///');
    expect((error as Error).message).not.toContain('ghp_token');
  });
});

describe('parseDesignUrl', () => {
  const id = '1AbC-dEf_123456789xyz';
  it.each([
    [`https://drive.google.com/file/d/${id}`],
    [`https://drive.google.com/file/d/${id}/view`],
    [`https://drive.google.com/file/d/${id}/view?usp=sharing`],
    [`https://drive.google.com/file/d/${id}/edit#heading`],
    [`https://drive.google.com/file/u/0/d/${id}/view`],
    [`https://drive.google.com/open?id=${id}`],
    [`https://drive.google.com/uc?id=${id}&export=download`],
    [`https://aistudio.google.com/apps/drive/${id}`],
    [`https://aistudio.google.com/apps/drive/${id}?showPreview=true`],
  ])('accepts %j as a Drive file', (url) => {
    expect(parseDesignUrl(url)).toEqual({
      kind: 'drive',
      fileId: id,
      url: `https://drive.google.com/file/d/${id}`,
    });
  });

  it('accepts a local design file', () => {
    expect(parseDesignUrl('file:///srv/designs/app.json')).toEqual({
      kind: 'local-file',
      path: '/srv/designs/app.json',
      url: 'file:///srv/designs/app.json',
    });
  });

  it.each([
    ['https://drive.google.com/drive/folders/abc', /no Drive file id/],
    ['https://drive.google.com/open', /no Drive file id/],
    ['https://drive.google.com/open?id=a/b', /no Drive file id/],
    ['https://drive.google.com/file/d/', /no Drive file id/],
    ['https://docs.google.com.evil.com/file/d/abc', /unknown host/],
    ['https://aistudio.google.com/apps/other/abc', /no Drive file id/],
    ['http://drive.google.com/file/d/abc', /scheme/],
    ['https://user:pw@drive.google.com/file/d/abc', /credentials/],
    ['file:///srv/designs/', /not a folder/],
    ['file://host/design.json', /no host/],
    ['file:///srv/../design.json', /normalized/],
    ['design.json', /not an absolute URL/],
  ])('rejects %j listing the accepted forms', (url, reason) => {
    expect(() => parseDesignUrl(url)).toThrow(reason);
    expect(() => parseDesignUrl(url)).toThrow(/drive\.google\.com\/file\/d\/<fileId>.*aistudio.*file:\/\/\//);
  });
});

describe('githubHostFromApiUrl', () => {
  it.each([
    ['https://api.github.com', undefined],
    ['https://ghe.example.com/api/v3', 'ghe.example.com'],
    ['https://api.acme.ghe.com', 'acme.ghe.com'],
    ['http://127.0.0.1:9000', '127.0.0.1:9000'],
    ['not a url', undefined],
  ])('%s → %s', (api, host) => {
    expect(githubHostFromApiUrl(api)).toBe(host);
  });
});

describe('createProviderRegistry', () => {
  const fakeRepo = { kind: 'github', displayName: 'fake' } as RepoProvider;
  const fakeDesign = { kind: 'drive', displayName: 'fake' } as DesignProvider;

  it('builds GitHub and Drive providers through the factories it was given', () => {
    const seen: unknown[] = [];
    const registry = createProviderRegistry({
      github: (d) => {
        seen.push(d);
        return fakeRepo;
      },
      drive: (d) => {
        seen.push(d);
        return fakeDesign;
      },
    });
    expect(registry.repo('git@github.com:octo/hello.git')).toBe(fakeRepo);
    expect(registry.resolveDesign('https://aistudio.google.com/apps/drive/abc123')).toEqual({
      descriptor: { kind: 'drive', fileId: 'abc123', url: 'https://drive.google.com/file/d/abc123' },
      url: 'https://drive.google.com/file/d/abc123',
      provider: fakeDesign,
    });
    expect(seen).toEqual([
      {
        kind: 'github',
        host: 'github.com',
        owner: 'octo',
        repo: 'hello',
        url: 'https://github.com/octo/hello',
      },
      { kind: 'drive', fileId: 'abc123', url: 'https://drive.google.com/file/d/abc123' },
    ]);
  });

  it('says which credentials are missing when a kind has no factory', () => {
    const registry = createProviderRegistry({});
    expect(() => registry.repo('https://github.com/octo/hello')).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        message: expect.stringMatching(/GITHUB_TOKEN.*GITHUB_APP_ID/),
      }),
    );
    expect(() => registry.design('https://drive.google.com/file/d/abc')).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        message: expect.stringMatching(/GOOGLE_APPLICATION_CREDENTIALS|GOOGLE_ACCESS_TOKEN/),
      }),
    );
  });

  it('builds working local providers for file:// URLs', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const url = await createBareRepo(join(dir, 'repo.git'), {
        'architecture/definitions/a.yaml': 'id: a\n',
      });
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'design.json'), '{"components":[]}');
      const registry = createProviderRegistry({});

      const repo = registry.resolveRepo(url);
      const design = registry.design(`file://${join(dir, 'design.json')}`);

      expect(repo.provider.kind).toBe('local-git');
      expect(repo.url).toBe(url);
      expect((await repo.provider.readSnapshot('main')).architectureFiles).toHaveLength(1);
      expect(design.kind).toBe('local-file');
      expect((await design.read()).content).toBe('{"components":[]}');
    } finally {
      await cleanup();
    }
  });

  it('can refuse local URLs, or confine them to given folders', () => {
    const closed = createProviderRegistry({}, { allowLocal: false });
    expect(() => closed.repo('file:///srv/repo.git')).toThrow(/not enabled/);
    expect(() => closed.design('file:///srv/design.json')).toThrow(/not enabled/);

    const confined = createProviderRegistry({}, { localRoots: ['/srv/bridge'] });
    expect(confined.repo('file:///srv/bridge/repo.git').kind).toBe('local-git');
    expect(() => confined.repo('file:///srv/bridge-other/repo.git')).toThrow(/must be inside \/srv\/bridge/);
    expect(() => confined.design('file:///etc/passwd')).toThrow(/must be inside/);
  });
});
