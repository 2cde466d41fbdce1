import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDriveParents } from '../../../shared/providers/drive/index.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../../support/loopback-drive/index.ts';
import { designJson, TOKEN } from './builders.ts';

let loopback: LoopbackDrive;
const parentsOf = (fileId: string, token = TOKEN) =>
  readDriveParents({ fileId, rootUrl: loopback.url, auth: { kind: 'access-token', accessToken: token } });

beforeEach(async () => {
  loopback = await startLoopbackDrive({
    accessToken: TOKEN,
    files: {
      filed: { name: 'a.json', content: designJson([{ id: 'api' }]), parents: ['folderA'] },
      loose: { name: 'b.json', content: designJson([{ id: 'api' }]) },
    },
  });
});
afterEach(async () => {
  expect(loopback.schemaErrors).toEqual([]);
  await loopback.close();
});

describe('readDriveParents', () => {
  it('asks v3 files.get for the parents only, and answers them', async () => {
    expect(await parentsOf('filed')).toEqual(['folderA']);
    const asked = loopback.requests.at(-1);
    expect(asked).toMatchObject({ method: 'GET', path: '/drive/v3/files/filed' });
    expect(asked?.query).toMatchObject({ fields: 'parents', supportsAllDrives: 'true' });
    expect(asked?.query.alt).toBeUndefined();
  });

  it('follows a move', async () => {
    loopback.moveFile('filed', ['folderB']);
    expect(await parentsOf('filed')).toEqual(['folderB']);
  });

  it('a file with no visible parents, or none the credentials can see, has none', async () => {
    expect(await parentsOf('loose')).toEqual([]);
    expect(await parentsOf('missing')).toEqual([]);
  });

  it('throws what a retry may fix, and rejected credentials', async () => {
    loopback.injectFault({ method: 'GET', path: '/drive/v3/files/filed', status: 503 });
    await expect(parentsOf('filed')).rejects.toMatchObject({ code: 'unavailable' });
    loopback.injectFault({ method: 'GET', path: '/drive/v3/files/filed', status: 429 });
    await expect(parentsOf('filed')).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(parentsOf('filed', 'ya29.wrong')).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
