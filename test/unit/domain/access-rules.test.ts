import { describe, expect, it } from 'vitest';
import {
  type AccountFacts,
  decideGithubAccess,
  decideLocalAccess,
  type GithubAccessFacts,
  normalizeGrantValue,
  pathWithin,
} from '../../../shared/domain/index.ts';

const facts = (over: Partial<GithubAccessFacts> = {}): GithubAccessFacts => ({
  tenant: 'acme',
  admin: false,
  owner: 'Victim-Org',
  repoName: 'Victim-Org/repo',
  need: 'write',
  account: { state: 'none' },
  ownerGranted: false,
  installationGranted: false,
  ...over,
});
const checked = (pull: boolean, push: boolean): AccountFacts => ({ state: 'checked', pull, push });

describe('decideGithubAccess', () => {
  it.each([
    ['an account that can push', facts({ account: checked(true, true) }), 'account'],
    [
      'a reading account, report-only link',
      facts({ account: checked(true, false), need: 'read' }),
      'account',
    ],
    ['the admin tenant', facts({ admin: true }), 'admin'],
    ['an owner grant', facts({ ownerGranted: true }), 'owner-grant'],
    ['an installation grant', facts({ installationGranted: true }), 'installation-grant'],
    [
      'an account without access but a grant',
      facts({ account: checked(false, false), ownerGranted: true }),
      'owner-grant',
    ],
  ])('%s is allowed (%s)', (_name, f, grounds) => {
    expect(decideGithubAccess(f)).toMatchObject({ allowed: true, grounds });
  });

  it.each([
    ['no account, no grant', facts(), 'forbidden', /connect a GitHub account.*grant owner victim-org/],
    ['an account that cannot see it', facts({ account: checked(false, false) }), 'forbidden', /cannot reach/],
    [
      'an account that can only read, link writes',
      facts({ account: checked(true, false) }),
      'forbidden',
      /report-only/,
    ],
    [
      'an account needing reconnecting',
      facts({ account: { state: 'reconnect_needed', reason: 'refresh refused' } }),
      'reconnect_needed',
      /refresh refused.*connect again/,
    ],
    [
      'an account GitHub rejects',
      facts({ account: { state: 'rejected' } }),
      'reconnect_needed',
      /rejects the token/,
    ],
  ])('%s is refused (%s) with a way out', (_name, f, state, message) => {
    const verdict = decideGithubAccess(f);
    expect(verdict).toMatchObject({ allowed: false, state });
    expect(!verdict.allowed && verdict.reason).toMatch(message);
  });
});

describe('decideLocalAccess', () => {
  const local = { tenant: 'acme', admin: false, optIn: 'any' as const };
  it.each([
    [
      'the admin',
      { ...local, admin: true, paths: [{ what: 'repository' as const, path: '/etc' }], granted: [] },
      true,
    ],
    [
      'inside a granted folder',
      { ...local, paths: [{ what: 'design' as const, path: '/srv/acme/d.json' }], granted: ['/srv/acme'] },
      true,
    ],
    [
      'the granted folder itself',
      { ...local, paths: [{ what: 'repository' as const, path: '/srv/acme' }], granted: ['/srv/acme'] },
      true,
    ],
    [
      'a sibling with the same prefix',
      {
        ...local,
        paths: [{ what: 'repository' as const, path: '/srv/acme-evil/r.git' }],
        granted: ['/srv/acme'],
      },
      false,
    ],
    [
      'nothing granted',
      { ...local, paths: [{ what: 'repository' as const, path: '/srv/acme/r.git' }], granted: [] },
      false,
    ],
    [
      'without the opt-in',
      {
        ...local,
        optIn: 'admin' as const,
        paths: [{ what: 'repository' as const, path: '/srv/acme/r.git' }],
        granted: ['/srv/acme'],
      },
      false,
    ],
  ])('%s: allowed %s', (_name, f, allowed) => {
    expect(decideLocalAccess(f).allowed).toBe(allowed);
  });

  it('pathWithin respects segment boundaries', () => {
    expect(pathWithin('/a/b/c', '/a/b')).toBe(true);
    expect(pathWithin('/a/bc', '/a/b')).toBe(false);
    expect(pathWithin('/a/b', '/a/b/')).toBe(true);
  });
});

describe('normalizeGrantValue', () => {
  it.each([
    ['owner', 'Acme-Org', 'acme-org'],
    ['installation', '12345678', '12345678'],
    ['local-path', '/srv/bridge/acme/', '/srv/bridge/acme'],
    ['drive-file', '1AbC_d-Ef', '1AbC_d-Ef'],
    ['drive-folder', '0BxYz', '0BxYz'],
  ] as const)('%s %s → %s', (kind, raw, value) => {
    expect(normalizeGrantValue(kind, raw)).toEqual({ ok: true, value });
  });
  it.each([
    ['owner', 'acme/platform'],
    ['owner', ''],
    ['installation', '0'],
    ['installation', '-1'],
    ['local-path', 'relative/path'],
    ['local-path', '/'],
    ['local-path', '/srv/../etc'],
    ['local-path', '/srv/./x'],
    ['local-path', '/srv//x'],
    ['local-path', '/srv/a\\b'],
    ['drive-file', ''],
    ['drive-file', 'abc/def'],
    ['drive-file', '../abc'],
    ['drive-file', 'https://drive.google.com/file/d/abc'],
    ['drive-file', 'a'.repeat(201)],
    ['drive-folder', 'abc def'],
    ['drive-folder', 'abc%2F'],
  ] as const)('%s %j is refused', (kind, raw) => {
    expect(normalizeGrantValue(kind, raw).ok).toBe(false);
  });
});
