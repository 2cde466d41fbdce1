import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, linkFor, localSides, openConflictOn, raw, type TenantLink } from './support.ts';

const JSON_TYPE = { 'content-type': 'application/json' };

interface FieldError {
  field: string;
  message: string;
}

/** 400 `validation_failed` whose message and details name `field` and say why (`why` matches). */
function expectFieldError(res: { status: number; body: unknown }, field: string, why: RegExp): void {
  const message = expectError(res, 400, 'validation_failed');
  expect(message).toContain(`${field}:`);
  expect(message).toMatch(why);
  const fields = (res.body as { error: { details?: { fields?: FieldError[] } } }).error.details?.fields ?? [];
  expect(fields.map((f) => f.field)).toContain(field);
}

describe('status API input validation', () => {
  let bridge: TestBridge;
  let sides: { repo: string; design: string };
  let link: TenantLink;
  let conflictId: string;
  beforeAll(async () => {
    bridge = await startTestBridge();
    const made = await localSides(bridge);
    sides = { repo: made.repo, design: made.design };
    link = await linkFor(bridge, undefined, { writes: 'direct', onConflict: 'manual' });
    conflictId = (await openConflictOn(bridge, link)).id;
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const post = (path: string, body: unknown) =>
    raw(bridge, 'POST', path, { headers: JSON_TYPE, body: JSON.stringify(body) });

  describe('POST /api/v1/links', () => {
    const cases: Array<[string, () => Record<string, unknown>, string, RegExp]> = [
      ['missing repo', () => ({ design: sides.design }), 'repo', /expected string|required/i],
      ['repo not a string', () => ({ repo: 42, design: sides.design }), 'repo', /string/],
      ['repo not a URL', () => ({ repo: 'my repo', design: sides.design }), 'repo', /whitespace|URL/],
      [
        'repo on an unknown host',
        () => ({ repo: 'https://gitlab.com/o/r', design: sides.design }),
        'repo',
        /unknown host/,
      ],
      [
        'repo with credentials',
        () => ({ repo: 'https://me:pw@github.com/o/r', design: sides.design }),
        'repo',
        /credentials/,
      ],
      [
        'repo naming a tree path',
        () => ({ repo: 'https://github.com/o/r/tree/main', design: sides.design }),
        'repo',
        /repository only/,
      ],
      [
        'repo file URL with a host',
        () => ({ repo: 'file://server/srv/repo.git', design: sides.design }),
        'repo',
        /no host/,
      ],
      [
        'repo file URL with ..',
        () => ({ repo: 'file:///tmp/../etc/repo.git', design: sides.design }),
        'repo',
        /normalized/,
      ],
      ['repo on ftp', () => ({ repo: 'ftp://github.com/o/r', design: sides.design }), 'repo', /scheme/],
      ['missing design', () => ({ repo: sides.repo }), 'design', /expected string|required/i],
      [
        'design on an unknown host',
        () => ({ repo: sides.repo, design: 'https://example.com/d.json' }),
        'design',
        /unknown host/,
      ],
      [
        'design Drive URL without an id',
        () => ({ repo: sides.repo, design: 'https://drive.google.com/drive/my-drive' }),
        'design',
        /file id/,
      ],
      [
        'design over http',
        () => ({ repo: sides.repo, design: 'http://drive.google.com/file/d/abc' }),
        'design',
        /scheme/,
      ],
      [
        'design file URL naming a folder',
        () => ({ repo: sides.repo, design: 'file:///tmp/designs/' }),
        'design',
        /not a folder/,
      ],
      ['bad branch', () => ({ ...sides, branch: '../main' }), 'branch', /branch name/],
      [
        'unknown policy key',
        () => ({ ...sides, policy: { writes: 'direct', yolo: true } }),
        'policy',
        /yolo/,
      ],
      [
        'bad policy value',
        () => ({ ...sides, policy: { writes: 'force-push' } }),
        'policy.writes',
        /pull-request/,
      ],
      [
        'maxDeletePercent over 100',
        () => ({ ...sides, policy: { maxDeletePercent: 150 } }),
        'policy.maxDeletePercent',
        /100/,
      ],
      ['policy not an object', () => ({ ...sides, policy: 'direct' }), 'policy', /object/],
      ['unknown top-level key', () => ({ ...sides, owner: 'me' }), '(body)', /owner/],
    ];

    it.each(cases)('%s is 400 naming the field', async (_name, body, field, why) => {
      expectFieldError(await post('/api/v1/links', body()), field, why);
    });

    it('GitHub and Drive URLs without credentials are 400 saying which credentials to set', async () => {
      const res = await post('/api/v1/links', {
        repo: 'https://github.com/octo/arch',
        design: 'https://drive.google.com/file/d/abc123',
      });
      expect(expectError(res, 400, 'validation_failed')).toMatch(/GITHUB_TOKEN/);
    });

    it('a repository that is not there is 400, not a server error', async () => {
      const res = await post('/api/v1/links', { repo: 'file:///nonexistent/repo.git', design: sides.design });
      expect(res.status).toBe(400);
      expect(expectError(res, 400, 'validation_failed')).toContain('repo:');
    });

    it('nothing is created by a refused request', async () => {
      const links = await bridge.api<{ items: unknown[] }>('GET', '/api/v1/links');
      expect(links.body.items).toHaveLength(1);
    });
  });

  describe('bodies', () => {
    it('a body that is not JSON is 415 by content type', async () => {
      const res = await raw(bridge, 'POST', '/api/v1/links', {
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(sides),
      });
      expect(expectError(res, 415, 'unsupported_media_type')).toContain('application/json');
    });

    it.each([
      ['truncated JSON', '{"repo": "file:///x'],
      ['trailing garbage', '{}x'],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ])('%s is 400 bad_request', async (_name, body) => {
      const res = await raw(bridge, 'POST', '/api/v1/links', { headers: JSON_TYPE, body });
      expect(expectError(res, 400, 'bad_request')).toMatch(/JSON/);
    });

    it.each([
      ['an array', []],
      ['null', null],
      ['a string', 'repo'],
    ])('%s as the body is 400 naming the body', async (_name, body) => {
      expectFieldError(await post('/api/v1/links', body), '(body)', /object/);
    });

    it('a body over 1 MiB is 413', async () => {
      const big = JSON.stringify({ ...sides, pad: 'x'.repeat(1024 * 1024) });
      expectError(
        await raw(bridge, 'POST', '/api/v1/links', { headers: JSON_TYPE, body: big }),
        413,
        'payload_too_large',
      );
    });

    it('a +json content type is accepted', async () => {
      const res = await raw(bridge, 'POST', `/api/v1/links/${link.id}/sync`, {
        headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' },
        body: '{}',
      });
      expect(res.status).toBe(202);
      await bridge.idle();
    });
  });

  describe('other bodies and queries', () => {
    it.each([
      ['/sync', { direction: 'sideways' }, 'direction', /both/],
      ['/sync', { dryRun: 'yes' }, 'dryRun', /boolean/],
      ['/sync', { force: true }, '(body)', /force/],
    ])('POST …%s %j is 400 naming %s', async (suffix, body, field, why) => {
      expectFieldError(await post(`/api/v1/links/${link.id}${suffix}`, body), field, why);
    });

    it.each([
      [{}, 'take', /design/],
      [{ take: 'mine' }, 'take', /design/],
      [{ take: 'value' }, 'value', /required/],
      [{ take: 'design', note: 'x' }, '(body)', /note/],
    ])('resolve %j is 400 naming %s', async (body, field, why) => {
      expectFieldError(
        await post(`/api/v1/links/${link.id}/conflicts/${conflictId}/resolve`, body),
        field,
        why,
      );
    });

    it.each([['0'], ['101'], ['abc'], ['1.5'], ['-3'], ['']])(
      'pageSize=%s is 400 naming pageSize',
      async (size) => {
        for (const path of [
          '/api/v1/links',
          `/api/v1/links/${link.id}/operations`,
          `/api/v1/links/${link.id}/conflicts`,
          '/api/v1/dead-letters',
        ]) {
          expectFieldError(await raw(bridge, 'GET', `${path}?pageSize=${size}`), 'pageSize', /1 to 100/);
        }
      },
    );

    // The embedded bus answers an unknown dead-letter cursor with an empty page instead.
    it('an unknown pageToken is 400 naming pageToken', async () => {
      for (const path of ['/api/v1/links', `/api/v1/links/${link.id}/operations`]) {
        expectFieldError(await raw(bridge, 'GET', `${path}?pageToken=nope`), 'pageToken', /page/);
      }
    });

    it('an unknown conflict state is 400 naming state', async () => {
      expectFieldError(
        await raw(bridge, 'GET', `/api/v1/links/${link.id}/conflicts?state=closed`),
        'state',
        /open/,
      );
    });

    it.each([
      [{ tenant: 'Acme Corp' }, 'tenant', /lowercase/],
      [{ tenant: '' }, 'tenant', /lowercase|least/],
      [{ tenant: 'acme', tier: 'gold' }, 'tier', /standard/],
      [{ tenant: 'acme', secret: 'x' }, '(body)', /secret/],
    ])('POST /keys %j is 400 naming %s', async (body, field, why) => {
      expectFieldError(await post('/api/v1/keys', body), field, why);
    });

    it('malformed percent-encoding in the path is 400', async () => {
      expectError(await raw(bridge, 'GET', '/api/v1/links/%E0%A4%A'), 400, 'bad_request');
    });
  });

  describe('unknown resources and methods', () => {
    it.each([
      '/api/v1/nope',
      '/api/v2/links',
      '/api/v1/links/lnk_unknown',
      '/api/v1/links/lnk_unknown/operations',
      '/api/v1/links/lnk_unknown/conflicts',
      '/api/v1/links/lnk_unknown/drift',
      '/api/v1/operations/op_unknown',
      '/api/v1/deliveries/unknown',
      '/nope.html',
    ])('GET %s is 404', async (path) => {
      expectError(await raw(bridge, 'GET', path), 404, 'not_found');
    });

    it.each([
      ['PUT', '/api/v1/links', 'GET, POST'],
      ['PUT', '/api/v1/links/lnk_x', 'GET, PATCH, DELETE'],
      ['GET', '/api/v1/links/lnk_x/sync', 'POST'],
      ['DELETE', '/api/v1/links/lnk_x/operations', 'GET'],
      ['GET', '/api/v1/links/lnk_x/conflicts/c/resolve', 'POST'],
      ['PUT', '/api/v1/keys/k', 'DELETE'],
      ['POST', '/api/v1/health', 'GET'],
      ['POST', '/api/v1/openapi.json', 'GET'],
      ['DELETE', '/', 'GET'],
    ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
      const res = await raw(bridge, method, path);
      expectError(res, 405, 'method_not_allowed');
      expect(res.headers.get('allow')?.split(', ').sort()).toEqual(allow.split(', ').sort());
    });
  });
});
