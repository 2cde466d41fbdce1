import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/index.ts';
import type { Link } from '../../shared/records/index.ts';
import { type AccessHarness, startAccessHarness } from './access-harness.ts';

const FOLDER = 'initechFolder0123';

/**
 * Hostile input: a tenant granted a Drive folder names a file outside it. The folder a file is in is
 * what Drive answers for it (`files.get` with `fields=parents`, asked through the real Drive client),
 * so moving a file out of the folder takes the link's access with it.
 */
describe('a Drive folder grant opens the files in that folder only', () => {
  let h: AccessHarness;
  let key: string;
  beforeAll(async () => {
    h = await startAccessHarness();
    key = await h.key('initech');
    expect((await h.grant('initech', 'owners', 'acme')).status).toBe(201);
    expect((await h.grant('initech', 'drive-folders', FOLDER)).status).toBe(201);
    h.addDesign('insideDesign0123', [FOLDER]);
    h.addDesign('outsideDesign0123', ['otherFolder0123']);
    h.addDesign('looseDesign0123');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a file in the granted folder links and syncs; Drive was asked for its parents', async () => {
    const from = h.drive.requests.length;
    const res = await h.link(
      key,
      'acme/platform',
      undefined,
      'https://aistudio.google.com/apps/drive/insideDesign0123',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(h.driveRequestsTo('insideDesign0123', from)[0]).toEqual({
      method: 'GET',
      path: '/drive/v3/files/insideDesign0123',
      fields: 'parents',
    });
    expect(await h.sync(key, res.body.id)).toMatchObject({ status: 'succeeded' });
    expect(h.drive.schemaErrors).toEqual([]);
  });

  it.each([
    ['a file in another folder', 'outsideDesign0123'],
    ['a file shared on its own (no parents the bridge can see)', 'looseDesign0123'],
    ['a file that does not exist', 'missingDesign0123'],
  ])('%s: 403, and only its parents were asked for', async (_name, fileId) => {
    const from = h.drive.requests.length;
    const res = await h.link(key, 'acme/platform', undefined, `https://drive.google.com/file/d/${fileId}`);
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    const { message } = (res.body as unknown as { error: { message: string } }).error;
    // The same answer whether the file exists or not: the refusal tells nothing about other files.
    expect(message).toContain(`bridge grants add initech --drive-file ${fileId}`);
    expect(message).not.toContain('otherFolder0123');
    expect(h.driveRequestsTo(fileId, from).map((r) => r.fields)).toEqual(['parents']);
  });

  it('moving the file out of the folder fails the next sync as forbidden, without reading the file', async () => {
    h.addDesign('movingDesign0123', [FOLDER]);
    const res = await h.link(
      key,
      'acme/platform',
      undefined,
      'https://drive.google.com/file/d/movingDesign0123',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    h.drive.moveFile('movingDesign0123', ['otherFolder0123']);

    const from = h.drive.requests.length;
    const op = await h.sync(key, res.body.id);
    expect(op).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(h.driveRequestsTo('movingDesign0123', from).map((r) => r.fields)).toEqual(['parents']);
    const link = await h.bridge.api<Link>('GET', `/api/v1/links/${res.body.id}`, undefined, key);
    expect(link.body.access).toMatchObject({ state: 'forbidden', reason: expect.stringMatching(/Drive/) });
  });

  it('with Drive failing (its circuit open), the folder check does not call Drive either', async () => {
    h.addDesign('whileDownDesign0123', [FOLDER]);
    const root = new URL(h.bridge.ctx.config.DRIVE_API_ROOT_URL ?? 'https://www.googleapis.com');
    const breaker = h.bridge.ctx.resilience.breaker(`drive:${root.host}`);
    const down = new AppError('unavailable', 'Drive answered 503');
    for (let i = 0; i < 10 && breaker.state().phase !== 'open'; i++) {
      await breaker.run(() => Promise.reject(down)).catch(() => undefined);
    }
    expect(breaker.state().phase).toBe('open');
    const from = h.drive.requests.length;
    const res = await h.link(
      key,
      'acme/platform',
      undefined,
      'https://drive.google.com/file/d/whileDownDesign0123',
    );
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(h.driveRequestsTo('whileDownDesign0123', from)).toEqual([]);
    // Channels and the changes feed: the same circuit.
    const watch = await h.bridge.ctx.driveWatch();
    const before = h.drive.requests.length;
    await expect(watch?.listChanges('1')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(
      watch?.watchFile('whileDownDesign0123', { token: 't', address: 'https://bridge.example/drive' }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(h.drive.requests.length).toBe(before);
  });
});
