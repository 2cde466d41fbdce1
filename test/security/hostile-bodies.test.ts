import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TEXT_BYTES } from '../../shared/domain/index.ts';
import type { Link } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { gitLog } from '../support/local-git.ts';
import { createLocalLink, designOf, services } from '../sync/support.ts';
import { deepJson, deepObjectJson, deliveryId, expectAlive, expectError, send, webhook } from './support.ts';

const SECRET = 'hostile-bodies-webhook-secret';
const INVALID_UTF8 = Buffer.concat([
  Buffer.from('{"ref":"refs/heads/main","x":"'),
  Buffer.from([0xc3, 0x28, 0xff]),
  Buffer.from('"}'),
]);

describe('oversized, deeply nested and invalid UTF-8 bodies are refused cleanly; the server stays up', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge({ GITHUB_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await bridge?.close();
  });
  afterEach(async () => {
    await bridge.idle();
    await expectAlive(bridge);
  });

  describe('webhook', () => {
    it('a body over GitHub’s 25 MB cap is 413 from its Content-Length, before the signature', async () => {
      const res = await send(bridge.url, 'POST', '/github/webhook', {
        token: null,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': deliveryId(),
          'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
        },
        body: Buffer.alloc(25 * 1024 * 1024 + 1, 0x20),
      });
      expectError(res, 413, 'payload_too_large');
    });

    it.each([
      ['push', 100_000],
      ['issues', 100_000],
      ['ping', 1_000_000],
      ['issues', 201],
    ])(
      'a signed %s payload nested %i levels deep is a 400 (a retry cannot help), not a 5xx',
      async (event, depth) => {
        const id = deliveryId();
        const body = `{"action":"opened","repository":{"full_name":"acme/deep"},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
        const res = await webhook(bridge, body, { secret: SECRET, event, id });
        expect(expectError(res, 400, 'bad_request')).toMatch(/nested deeper than 200 levels/);
        expect((await bridge.api('GET', `/api/v1/deliveries/${id}`)).status).toBe(404);
      },
    );

    it('a signed payload at the depth limit is accepted and queued', async () => {
      const depth = 197;
      const body = `{"action":"opened","repository":{"full_name":"acme/deep"},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const res = await webhook(bridge, body, { secret: SECRET, event: 'issues' });
      expect(res.status).toBe(202);
      await bridge.idle();
      expect(bridge.logs.filter((l) => l.includes('Maximum call stack'))).toEqual([]);
    });

    it('a signed body that is not valid UTF-8 is 400 and says so', async () => {
      const res = await webhook(bridge, INVALID_UTF8, { secret: SECRET });
      expect(expectError(res, 400, 'bad_request')).toBe('Webhook body is not valid UTF-8');
    });

    it('a signed body that is valid JSON but not an object is 400', async () => {
      for (const body of ['[]', '"text"', '42', 'null']) {
        expectError(await webhook(bridge, body, { secret: SECRET }), 400, 'bad_request');
      }
    });
  });

  describe('API', () => {
    const post = (body: string | Buffer) =>
      send(bridge.url, 'POST', '/api/v1/links', { headers: { 'content-type': 'application/json' }, body });

    it('a body over 1 MiB is 413', async () => {
      expectError(await post(`{"repo":"${'x'.repeat(1024 * 1024)}"}`), 413, 'payload_too_large');
    });

    it.each([
      ['arrays', deepJson(200_000)],
      ['objects', deepObjectJson(100_000)],
    ])('deeply nested %s are a 400, not a crash', async (_name, body) => {
      const res = await post(body);
      expect(res.status).toBe(400);
    });

    it('a body that is not valid UTF-8 is 400', async () => {
      const res = await post(INVALID_UTF8);
      expectError(res, 400, 'bad_request');
    });

    it('a body that is not JSON is 400, another media type 415', async () => {
      expectError(await post('{"repo":'), 400, 'bad_request');
      const res = await send(bridge.url, 'POST', '/api/v1/links', {
        headers: { 'content-type': 'text/plain' },
        body: '{}',
      });
      expectError(res, 415, 'unsupported_media_type');
    });
  });

  describe('design files', () => {
    it.each([
      ['nested 100,000 levels', () => deepJson(100_000), /nested deeper than 32 levels/],
      ['nested objects 10,000 levels', () => deepObjectJson(10_000), /nested deeper than 32 levels/],
      [
        'larger than the limit',
        () => `{"components":[],"pad":"${'x'.repeat(MAX_TEXT_BYTES)}"}`,
        /larger than/,
      ],
      ['not JSON', () => '{"components": [', /not valid JSON/],
    ])('a design %s blocks the sync with a reason; nothing is written', async (_name, text, reason) => {
      const link = await createLocalLink(bridge);
      await writeFile(link.designFile, text());
      const op = await link.sync();
      expect(op).toMatchObject({ status: 'failed', outcome: 'blocked' });
      expect(op.error?.message).toMatch(reason);
    });

    it.each([
      [
        'inside a string (valid JSON once replaced by U+FFFD)',
        (text: string) => text.indexOf('Application Core'),
      ],
      ['between tokens', (text: string) => text.length - 2],
    ])(
      'a design with invalid UTF-8 bytes %s fails the sync with the reason; nothing is written',
      async (_where, at) => {
        const link = await createLocalLink(bridge);
        const text = JSON.stringify(designOf(services()));
        const bytes = Buffer.concat([
          Buffer.from(text.slice(0, at(text))),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
          Buffer.from(text.slice(at(text))),
        ]);
        await writeFile(link.designFile, bytes);
        const commits = (await gitLog(link.repoDir, 'main')).length;
        const op = await link.sync();
        expect(op).toMatchObject({ status: 'failed', error: { code: 'validation_failed' } });
        expect(op.error?.message).toMatch(/not valid UTF-8/);
        expect(await readFile(link.designFile)).toEqual(bytes);
        expect(await gitLog(link.repoDir, 'main')).toHaveLength(commits);
        const state = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
        expect(state).toMatchObject({ status: 'error', lastSync: { error: expect.stringMatching(/UTF-8/) } });
      },
    );
  });
});
