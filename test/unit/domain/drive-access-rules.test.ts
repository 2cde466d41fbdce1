import { describe, expect, it } from 'vitest';
import {
  type AccessVerdict,
  combineVerdicts,
  type DriveAccessFacts,
  decideDriveAccess,
  needsDriveParents,
} from '../../../shared/domain/index.ts';

const facts = (over: Partial<DriveAccessFacts> = {}): DriveAccessFacts => ({
  tenant: 'acme',
  admin: false,
  fileId: 'fileX',
  grantedFiles: [],
  grantedFolders: [],
  ...over,
});

describe('decideDriveAccess', () => {
  it.each([
    ['the admin tenant', facts({ admin: true }), 'admin'],
    ['a grant of the file', facts({ grantedFiles: ['other', 'fileX'] }), 'drive-file-grant'],
    [
      'a grant of a folder Drive lists as a parent',
      facts({ grantedFolders: ['folderA'], parents: ['folderB', 'folderA'] }),
      'drive-folder-grant',
    ],
  ])('%s is allowed (%s)', (_name, f, grounds) => {
    expect(decideDriveAccess(f)).toMatchObject({ allowed: true, via: 'bridge', grounds });
  });

  it.each([
    ['nothing granted', facts()],
    ['a grant of another file', facts({ grantedFiles: ['fileY'] })],
    ['a grant of the id in another case (Drive ids are case-sensitive)', facts({ grantedFiles: ['FILEX'] })],
    [
      'a folder grant, the file in another folder',
      facts({ grantedFolders: ['folderA'], parents: ['folderB'] }),
    ],
    ['a folder grant, no parents the bridge sees', facts({ grantedFolders: ['folderA'], parents: [] })],
    ['a folder grant, parents not asked', facts({ grantedFolders: ['folderA'] })],
    [
      'a parent that is a granted file, not a folder',
      facts({ grantedFiles: ['folderB'], parents: ['folderB'] }),
    ],
  ])('%s is refused, saying the grant is the only way and how to ask', (_name, f) => {
    const verdict = decideDriveAccess(f);
    expect(verdict).toMatchObject({ allowed: false, state: 'forbidden' });
    const reason = verdict.allowed ? '' : verdict.reason;
    expect(reason).toContain('no Google account');
    expect(reason).toContain('bridge grants add acme --drive-file fileX');
    expect(reason).toContain('--drive-folder');
    // The refusal does not echo what else the tenant or the file has.
    expect(reason).not.toMatch(/folder[AB]|fileY/);
  });

  it('asks Drive for the parents only when a folder grant could decide', () => {
    expect(needsDriveParents(facts())).toBe(false);
    expect(needsDriveParents(facts({ admin: true, grantedFolders: ['f'] }))).toBe(false);
    expect(needsDriveParents(facts({ grantedFiles: ['fileX'], grantedFolders: ['f'] }))).toBe(false);
    expect(needsDriveParents(facts({ grantedFolders: ['f'] }))).toBe(true);
  });
});

describe('combineVerdicts', () => {
  const ok: AccessVerdict = { allowed: true, via: 'account', grounds: 'account' };
  const driveOk: AccessVerdict = { allowed: true, via: 'bridge', grounds: 'drive-file-grant' };
  const no = (reason: string, state: 'forbidden' | 'reconnect_needed' = 'forbidden'): AccessVerdict => ({
    allowed: false,
    state,
    reason,
  });

  it('is allowed when every part is, keeping the first part’s grounds', () => {
    expect(combineVerdicts([ok, driveOk])).toBe(ok);
    expect(combineVerdicts([])).toMatchObject({ allowed: true, grounds: 'admin' });
  });
  it('is the one refusal when one part is refused', () => {
    expect(combineVerdicts([ok, no('design')])).toEqual(no('design'));
    expect(combineVerdicts([no('repo', 'reconnect_needed'), driveOk])).toEqual(
      no('repo', 'reconnect_needed'),
    );
  });
  it('says every reason when several are refused; forbidden wins over reconnect_needed', () => {
    expect(combineVerdicts([no('repo', 'reconnect_needed'), no('design')])).toEqual(no('repo. design'));
    expect(combineVerdicts([no('a', 'reconnect_needed'), no('b', 'reconnect_needed')])).toEqual(
      no('a. b', 'reconnect_needed'),
    );
  });
});
