import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { auth, drive } from '@googleapis/drive';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyFieldsMask,
  DRIVE_V2,
  DRIVE_V3,
  type LoopbackDrive,
  parseFieldsMask,
  startLoopbackDrive,
  validateDiscoveryValue,
} from '../../support/loopback-drive/index.ts';
import { designJson, FILE_ID, TOKEN } from './builders.ts';

// The team folder beside the project (../shared) holds the discovery document the copy came from.
const GIVEN_DISCOVERY = fileURLToPath(
  new URL('../../../../shared/data/drive-v3.discovery.json', import.meta.url),
);

describe('discovery validator', () => {
  const file = {
    kind: 'drive#file',
    id: 'f',
    name: 'n',
    version: '12',
    modifiedTime: '2025-01-01T00:00:00.000Z',
  };
  it.each([
    ['a valid File', file, []],
    ['an unknown property', { ...file, etag: '"x"' }, ['$.etag: unknown property of File']],
    ['a number where int64 wants a string', { ...file, version: 12 }, ['$.version: expected a string']],
    ['a non-numeric int64', { ...file, version: 'v12' }, ['$.version: "v12" is not an int64 string']],
    [
      'a bad date-time',
      { ...file, modifiedTime: 'yesterday' },
      ['$.modifiedTime: "yesterday" is not an RFC 3339 date-time'],
    ],
    [
      'a wrong nested type',
      { ...file, owners: [{ displayName: 3 }] },
      ['$.owners[0].displayName: expected a string'],
    ],
    [
      'an unknown nested property',
      { ...file, capabilities: { canFly: true } },
      ['$.capabilities.canFly: unknown property of object'],
    ],
    [
      'a map value of the wrong type',
      { ...file, appProperties: { a: 1 } },
      ['$.appProperties.a: expected a string'],
    ],
    ['null', { ...file, name: null }, ['$.name: is null (Google omits absent fields)']],
  ])('%s', (_name, value, errors) => {
    expect(validateDiscoveryValue(DRIVE_V3, { $ref: 'File' }, value)).toEqual(errors);
  });

  it('knows v2 files carry an etag', () => {
    expect(
      validateDiscoveryValue(DRIVE_V2, { $ref: 'File' }, { etag: '"x"', title: 't', version: '3' }),
    ).toEqual([]);
  });
});

describe('fields mask', () => {
  it.each([
    ['id,name', { id: 1, name: 2, size: 3 }, { id: 1, name: 2 }],
    [
      'changes(fileId,file(id)),nextPageToken',
      { changes: [{ fileId: 'a', time: 't', file: { id: 'a', name: 'n' } }], nextPageToken: '5', kind: 'k' },
      { changes: [{ fileId: 'a', file: { id: 'a' } }], nextPageToken: '5' },
    ],
    ['file/id', { file: { id: 'a', name: 'n' } }, { file: { id: 'a' } }],
    ['*', { a: 1 }, { a: 1 }],
  ])('%s', (mask, value, expected) => {
    expect(applyFieldsMask(value, parseFieldsMask(mask))).toEqual(expected);
  });

  it.each(['', 'a,', 'a(b', 'a)b'])('rejects %j', (mask) => {
    expect(() => parseFieldsMask(mask)).toThrow(/Invalid field selection/);
  });
});

describe('loopback Drive server', () => {
  let loopback: LoopbackDrive;
  const client = () => {
    const oauth = new auth.OAuth2();
    oauth.setCredentials({ access_token: TOKEN });
    return { v2: drive({ version: 'v2', auth: oauth }), v3: drive({ version: 'v3', auth: oauth }) };
  };
  const opts = () => ({ rootUrl: `${loopback.url}/`, retry: false });
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (e: { status?: number }) => e.status,
    );

  beforeEach(async () => {
    loopback = await startLoopbackDrive({
      accessToken: TOKEN,
      files: { [FILE_ID]: { name: 'architecture.json', content: designJson([{ id: 'api' }]) } },
    });
  });
  afterEach(async () => {
    expect(loopback.schemaErrors).toEqual([]);
    await loopback.close();
  });

  it('serves the default v3 fields when none are asked for', async () => {
    const { data } = await client().v3.files.get({ fileId: FILE_ID }, opts());
    expect(data).toEqual({
      kind: 'drive#file',
      id: FILE_ID,
      name: 'architecture.json',
      mimeType: 'application/json',
    });
  });

  it('answers every method with a body that matches the discovery schema', async () => {
    const { v2, v3 } = client();
    const o = opts();
    const channel = { id: 'c1', type: 'web_hook', address: 'http://127.0.0.1:9/none', token: 't' };
    const pageToken = (await v3.changes.getStartPageToken({}, o)).data.startPageToken ?? '';
    const watched = (await v3.files.watch({ fileId: FILE_ID, requestBody: channel }, o)).data;
    const responses: Array<[unknown, object, typeof DRIVE_V3]> = [
      [(await v3.changes.getStartPageToken({}, o)).data, { $ref: 'StartPageToken' }, DRIVE_V3],
      [(await v3.files.get({ fileId: FILE_ID, fields: '*' }, o)).data, { $ref: 'File' }, DRIVE_V3],
      [
        (await v3.files.update({ fileId: FILE_ID, requestBody: { name: 'b.json' }, fields: '*' }, o)).data,
        { $ref: 'File' },
        DRIVE_V3,
      ],
      [(await v3.changes.list({ pageToken, fields: '*' }, o)).data, { $ref: 'ChangeList' }, DRIVE_V3],
      [
        (await v3.changes.watch({ pageToken, requestBody: { ...channel, id: 'c2' } }, o)).data,
        { $ref: 'Channel' },
        DRIVE_V3,
      ],
      [watched, { $ref: 'Channel' }, DRIVE_V3],
      [(await v2.files.get({ fileId: FILE_ID }, o)).data, { $ref: 'File' }, DRIVE_V2],
    ];
    for (const [data, schema, doc] of responses)
      expect(validateDiscoveryValue(doc, schema, data)).toEqual([]);
    expect((await v3.changes.list({ pageToken }, o)).data.changes?.[0]?.file?.name).toBe('b.json');
    await v3.channels.stop({ requestBody: { id: 'c1', resourceId: watched.resourceId ?? '' } }, o);
  });

  it('uploads through multipart and media on the v3 upload path', async () => {
    const { v3 } = client();
    const res = await v3.files.update(
      {
        fileId: FILE_ID,
        requestBody: { name: 'renamed.json' },
        media: { mimeType: 'application/json', body: '{"multipart":true}' },
        fields: 'id,name,version',
      },
      opts(),
    );
    expect(res.data.name).toBe('renamed.json');
    expect(loopback.file(FILE_ID)?.content).toBe('{"multipart":true}');
    await v3.files.update(
      { fileId: FILE_ID, media: { mimeType: 'application/json', body: '{"media":1}' } },
      opts(),
    );
    expect(loopback.file(FILE_ID)?.content).toBe('{"media":1}');
    expect(loopback.requests.map((r) => [r.method, r.path, r.query.uploadType])).toEqual([
      ['PATCH', `/upload/drive/v3/files/${FILE_ID}`, 'multipart'],
      ['PATCH', `/upload/drive/v3/files/${FILE_ID}`, 'media'],
    ]);
  });

  it('checks v2 If-Match against the current etag', async () => {
    const { v2 } = client();
    const { etag } = loopback.file(FILE_ID)!;
    const put = (ifMatch: string) =>
      v2.files.update(
        { fileId: FILE_ID, media: { mimeType: 'application/json', body: '{}' } },
        { ...opts(), headers: { 'If-Match': ifMatch } },
      );
    expect(await status(put('"stale"'))).toBe(412);
    expect(await status(put(etag))).toBe(200);
    expect(await status(put(etag))).toBe(412);
    expect(await status(put('*'))).toBe(200);
  });

  it.each([
    ['an unknown field in the selection', { fileId: FILE_ID, fields: 'id,etag' }, 400],
    ['a malformed selection', { fileId: FILE_ID, fields: 'id(' }, 400],
    ['an unknown file', { fileId: 'nope' }, 404],
  ])('answers %s with %s', async (_name, params, expected) => {
    expect(await status(client().v3.files.get(params, opts()))).toBe(expected);
  });

  it.each([
    ['an unknown query parameter', `/drive/v3/files/${FILE_ID}?frobnicate=yes`],
    ['a path parameter repeated in the query', `/drive/v3/files/${FILE_ID}?fileId=x`],
    ['a non-boolean boolean', `/drive/v3/files/${FILE_ID}?supportsAllDrives=maybe`],
    ['alt=media where the method has no media', '/drive/v3/changes/startPageToken?alt=media'],
    ['changes.list without pageToken', '/drive/v3/changes'],
    ['a pageSize above 1000', '/drive/v3/changes?pageToken=1&pageSize=5000'],
    ['an upload without uploadType', `/upload/drive/v3/files/${FILE_ID}`],
  ])('answers 400 to %s', async (_name, path) => {
    const method = path.startsWith('/upload') ? 'PATCH' : 'GET';
    const res = await fetch(`${loopback.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(400);
  });

  it('rejects a watch body that does not match the Channel schema', async () => {
    const body = { id: 'c', type: 'web_hook', address: 'http://127.0.0.1:9/', bogus: 1 } as never;
    expect(await status(client().v3.files.watch({ fileId: FILE_ID, requestBody: body }, opts()))).toBe(400);
    expect(loopback.channels()).toEqual([]);
  });

  it('requires the configured bearer token', async () => {
    const anonymous = drive({ version: 'v3' });
    expect(await status(anonymous.files.get({ fileId: FILE_ID }, opts()))).toBe(401);
  });

  it('injects a failing status for the next N matching requests', async () => {
    const { v3 } = client();
    const fault = loopback.injectFault({
      method: 'GET',
      path: /^\/drive\/v3\/files\//,
      status: 503,
      times: 2,
    });
    expect(await status(v3.files.get({ fileId: FILE_ID }, opts()))).toBe(503);
    expect(fault.remaining()).toBe(1);
    expect(await status(v3.changes.getStartPageToken({}, opts()))).toBe(200);
    expect(await status(v3.files.get({ fileId: FILE_ID }, opts()))).toBe(503);
    expect(await status(v3.files.get({ fileId: FILE_ID }, opts()))).toBe(200);
  });

  it('delays a matching request and lets gaxios time out on it', async () => {
    loopback.injectFault({ path: `/drive/v3/files/${FILE_ID}`, delayMs: 300 });
    const err = await client()
      .v3.files.get({ fileId: FILE_ID }, { ...opts(), timeout: 50 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await status(client().v3.files.get({ fileId: FILE_ID }, opts()))).toBe(200);
  });

  it('keeps a failed notification delivery as a record instead of throwing', async () => {
    const { v3 } = client();
    await v3.files.watch(
      { fileId: FILE_ID, requestBody: { id: 'dead', type: 'web_hook', address: 'http://127.0.0.1:9/x' } },
      opts(),
    );
    const record = await loopback.notify('dead', 'update', { changed: ['content'] });
    await loopback.idle();
    expect(record.error).toBeDefined();
    expect(loopback.notifications.map((n) => [n.state, n.messageNumber])).toEqual([
      ['sync', 1],
      ['update', 2],
    ]);
  });
});

describe.skipIf(!existsSync(GIVEN_DISCOVERY))('vendored discovery document', () => {
  it('is the document the project was given', () => {
    expect(DRIVE_V3).toEqual(JSON.parse(readFileSync(GIVEN_DISCOVERY, 'utf8')));
  });
});
