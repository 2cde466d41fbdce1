import { drive } from '@googleapis/drive';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors/index.ts';
import { createLogger } from '../../../shared/logging/index.ts';
import {
  createDriveDesignProvider,
  driveAuthFromConfig,
  driveOptionsFromConfig,
  driveRevisionVersion,
  parseDriveRevision,
} from '../../../shared/providers/drive/index.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../../support/loopback-drive/index.ts';
import { designJson, FILE_ID, TOKEN } from './builders.ts';

let loopback: LoopbackDrive;

const provider = (overrides: { token?: string; fileId?: string } = {}) =>
  createDriveDesignProvider({
    fileId: overrides.fileId ?? FILE_ID,
    rootUrl: loopback.url,
    auth: { kind: 'access-token', accessToken: overrides.token ?? TOKEN },
    retry: false,
  });

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

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

describe('Drive design provider: read', () => {
  it('returns the content, the <version>:<etag> revision and the modified time', async () => {
    const p = provider();
    const snap = await p.read();
    const file = loopback.file(FILE_ID)!;
    expect(snap.content).toBe(designJson([{ id: 'api' }]));
    expect(snap.revision).toBe(`${file.version}:${file.etag}`);
    expect(parseDriveRevision(snap.revision)).toEqual({ version: String(file.version), etag: file.etag });
    expect(driveRevisionVersion(snap.revision)).toBe(String(file.version));
    expect(snap.modifiedTime).toBe(file.modifiedTime);
    expect(p.kind).toBe('drive');
    expect(p.callCount()).toBe(2);
  });

  it('asks v2 for the etag and v3 for the media', async () => {
    await provider().read();
    const [meta, media] = loopback.requests;
    expect(meta?.method).toBe('GET');
    expect(meta?.path).toBe(`/drive/v2/files/${FILE_ID}`);
    expect(meta?.query.fields).toContain('etag');
    expect(media?.path).toBe(`/drive/v3/files/${FILE_ID}`);
    expect(media?.query.alt).toBe('media');
  });

  it('reads again when the file changes between the metadata and the content request', async () => {
    const edited = designJson([{ id: 'api' }, { id: 'billing' }]);
    loopback.injectFault({
      method: 'GET',
      path: `/drive/v3/files/${FILE_ID}`,
      run: () => void loopback.setContent(FILE_ID, edited),
    });
    const p = provider();
    const snap = await p.read();
    const file = loopback.file(FILE_ID)!;
    expect(snap.content).toBe(edited);
    expect(snap.revision).toBe(`${file.version}:${file.etag}`);
    expect(p.callCount()).toBe(4);
  });

  it.each([
    ['an unknown file', { fileId: 'missing' }, 'not_found'],
    ['a rejected token', { token: 'ya29.wrong' }, 'unauthorized'],
  ] as const)('maps %s to %s', async (_name, overrides, code) => {
    const err = await rejection(provider(overrides).read());
    expect(err.code).toBe(code);
    expect(err.message).not.toContain('ya29');
  });

  it.each([
    [429, undefined, 'rate_limited'],
    [403, 'userRateLimitExceeded', 'rate_limited'],
    [403, 'insufficientFilePermissions', 'forbidden'],
    [500, undefined, 'unavailable'],
    [503, undefined, 'unavailable'],
    [400, undefined, 'upstream_failed'],
  ] as const)('maps Drive %s %s to %s', async (status, reason, code) => {
    loopback.injectFault({ status, ...(reason ? { reason } : {}) });
    const err = await rejection(provider().read());
    expect(err.code).toBe(code);
    expect(err.details).toMatchObject({ status });
  });

  it('refuses content that is not UTF-8 instead of replacing it with U+FFFD', async () => {
    const text = designJson([{ id: 'api' }]);
    const at = text.indexOf('api');
    loopback.setContent(
      FILE_ID,
      Buffer.concat([
        Buffer.from(text.slice(0, at)),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from(text.slice(at)),
      ]),
    );
    const err = await rejection(provider().read());
    expect(err).toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/not valid UTF-8/),
    });
    // The md5 of the bytes matches Drive's: the provider read them once, not three times.
    expect(loopback.requests.filter((r) => r.query.alt === 'media')).toHaveLength(1);
  });

  it('reads multi-byte UTF-8 content exactly', async () => {
    const text = designJson([{ id: 'api', name: 'Zürich ✓ 😀' }]);
    loopback.setContent(FILE_ID, text);
    expect((await provider().read()).content).toBe(text);
    expect(loopback.requests.filter((r) => r.query.alt === 'media')).toHaveLength(1);
  });

  it('retries a transient 503 when retries are on', async () => {
    loopback.injectFault({ method: 'GET', path: `/drive/v2/files/${FILE_ID}`, status: 503 });
    const p = createDriveDesignProvider({
      fileId: FILE_ID,
      rootUrl: loopback.url,
      auth: { kind: 'access-token', accessToken: TOKEN },
    });
    await expect(p.read()).resolves.toMatchObject({ content: designJson([{ id: 'api' }]) });
    expect(loopback.requests.map((r) => r.status)).toEqual([503, 200, 200]);
  });

  it('scrubs the access token from its log lines', async () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l) });
    const p = createDriveDesignProvider({
      fileId: 'missing',
      rootUrl: loopback.url,
      auth: { kind: 'access-token', accessToken: TOKEN },
      logger,
      retry: false,
    });
    await rejection(p.read());
    logger.info(`token is ${TOKEN}`);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('sends the access token as a bearer token', async () => {
    await provider().read();
    expect(loopback.requests.length).toBeGreaterThan(0);
    for (const r of loopback.requests) expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('picks token auth when GOOGLE_ACCESS_TOKEN is set and ADC otherwise', () => {
    expect(driveAuthFromConfig({ GOOGLE_ACCESS_TOKEN: TOKEN })).toEqual({
      kind: 'access-token',
      accessToken: TOKEN,
    });
    expect(driveAuthFromConfig({})).toEqual({ kind: 'adc' });
    expect(driveOptionsFromConfig({ DRIVE_API_ROOT_URL: loopback.url })).toEqual({
      auth: { kind: 'adc' },
      rootUrl: loopback.url,
    });
  });

  it('rejects a file id that could escape the URL path', () => {
    expect(() => provider({ fileId: '../x' })).toThrow(AppError);
  });
});

describe('Drive design provider: conditional write', () => {
  it('writes at the revision that was read and returns the new revision', async () => {
    const p = provider();
    const snap = await p.read();
    const next = designJson([{ id: 'api', version: '1.1.0' }]);
    const revision = await p.write(next, snap.revision);
    const file = loopback.file(FILE_ID)!;
    expect(file.content).toBe(next);
    expect(revision).toBe(`${file.version}:${file.etag}`);
    expect(revision).not.toBe(snap.revision);
    expect(Number(driveRevisionVersion(revision))).toBeGreaterThan(
      Number(driveRevisionVersion(snap.revision)),
    );
    expect((await p.read()).revision).toBe(revision);
  });

  it('sends the upload to the configured root with If-Match (the per-call rootUrl quirk)', async () => {
    const p = provider();
    const snap = await p.read();
    await p.write(designJson([]), snap.revision);
    const upload = loopback.requests.at(-1)!;
    expect(upload.method).toBe('PUT');
    expect(upload.path).toBe(`/upload/drive/v2/files/${FILE_ID}`);
    expect(upload.query.uploadType).toBe('media');
    expect(upload.headers['if-match']).toBe(parseDriveRevision(snap.revision).etag);
    expect(upload.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('fails with design_changed after a concurrent edit and keeps that edit', async () => {
    const p = provider();
    const snap = await p.read();
    const userEdit = designJson([{ id: 'api' }, { id: 'user-added' }]);
    loopback.setContent(FILE_ID, userEdit);
    const err = await rejection(p.write(designJson([{ id: 'bridge-added' }]), snap.revision));
    expect(err.code).toBe('design_changed');
    expect(err.status).toBe(412);
    expect(err.retryable).toBe(true);
    expect(loopback.file(FILE_ID)?.content).toBe(userEdit);
    // The caller's recovery: re-read, merge, write at the new revision.
    const again = await p.read();
    expect(again.content).toBe(userEdit);
    await expect(p.write(designJson([{ id: 'merged' }]), again.revision)).resolves.toMatch(/^\d+:/);
  });

  it('rejects a revision that is not one of its own', async () => {
    const err = await rejection(provider().write('{}', 'not-a-revision'));
    expect(err.code).toBe('bad_request');
    expect(loopback.requests).toHaveLength(0);
  });
});

describe('@googleapis/drive rootUrl quirk', () => {
  it('a global rootUrl does not move media uploads (so the provider passes it per call)', async () => {
    const urls: string[] = [];
    const client = drive({ version: 'v2', rootUrl: `${loopback.url}/` });
    await client.files
      .update(
        { fileId: FILE_ID, media: { mimeType: 'application/json', body: '{}' } },
        {
          retry: false,
          // Captures the URL instead of sending it: the real default would leave this machine.
          adapter: async (opts) => {
            urls.push(String(opts.url));
            throw new Error('captured');
          },
        },
      )
      .catch(() => undefined);
    expect(urls).toHaveLength(1);
    expect(urls[0]).toMatch(/^https:\/\/www\.googleapis\.com\/upload\/drive\/v2\/files\//);
  });
});
