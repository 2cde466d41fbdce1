import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors/index.ts';
import { probeRepoAccess } from '../../../shared/providers/github/index.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../../support/loopback-github/index.ts';
import { captureLogger, repoWithServices } from './fixtures.ts';

const WRITER = 'gho_writer000000000000000000000000000';
const READER = 'gho_reader000000000000000000000000000';
const PAT = 'ghp_personalaccesstoken0000000000000';

describe('probeRepoAccess: what a token may do in a repository (GET /repos/{owner}/{repo})', () => {
  let github: LoopbackGithub;
  const lines: string[] = [];
  beforeAll(async () => {
    github = await startLoopbackGithub({
      repos: { 'acme/platform': { files: repoWithServices(1) }, 'victim/secret': { files: {} } },
      auth: {
        tokens: [PAT],
        users: {
          [WRITER]: { repos: { 'acme/platform': 'push' } },
          [READER]: { repos: { 'acme/platform': 'pull' } },
        },
      },
    });
  });
  afterAll(async () => {
    github.assertValid();
    await github?.close();
  });

  const probe = (token: string, owner = 'acme', repo = 'platform') =>
    probeRepoAccess({ baseUrl: github.url, token, owner, repo, logger: captureLogger(lines) });

  it.each([
    ['a user with push', WRITER, 'acme', 'platform', { reachable: true, pull: true, push: true }],
    ['a user with read only', READER, 'acme', 'platform', { reachable: true, pull: true, push: false }],
    [
      'a user outside the repository (GitHub: 404)',
      WRITER,
      'victim',
      'secret',
      { reachable: false, rejected: false },
    ],
    [
      'a token GitHub does not know (401)',
      'gho_unknown0000000000000000000000000',
      'acme',
      'platform',
      { reachable: false, rejected: true },
    ],
    ['a PAT reaching everything', PAT, 'victim', 'secret', { reachable: true, pull: true, push: true }],
  ])('%s', async (_name, token, owner, repo, expected) => {
    expect(await probe(token, owner, repo)).toEqual(expected);
  });

  it('a server error throws a mapped error a retry may fix, naming no token', async () => {
    github.injectFault({
      method: 'GET',
      path: '/repos/acme/platform',
      status: 502,
      body: { message: 'Bad gateway' },
    });
    const err = await probe(WRITER).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('upstream_failed');
    expect(String((err as Error).message)).not.toContain(WRITER);
    expect(lines.join('\n')).not.toContain(WRITER);
  });
});
