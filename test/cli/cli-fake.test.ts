import { describe, expect, it } from 'vitest';
import { HELP } from '../../shared/cli/main.ts';
import { type Exchange, fakeFetch, runCli } from './support.ts';

const ENV = { BRIDGE_URL: 'http://bridge.test:9000', BRIDGE_TOKEN: 'tok-123' };

/** An operation as the API shows it while `sync --wait` polls. */
function anOperation(status: string, steps: string[], extra: Record<string, unknown> = {}) {
  return {
    id: 'op_1',
    status,
    progress: steps.map((step, i) => ({ step, at: `2026-01-01T00:00:0${i}Z` })),
    ...extra,
  };
}

/** Answers POST …/sync with op_1, then each GET of op_1 with the next of `states` (the last repeats). */
function syncServer(states: Array<ReturnType<typeof anOperation>>) {
  let polls = 0;
  return fakeFetch((req) => {
    if (req.method === 'POST' && req.url.pathname === '/api/v1/links/lnk_1/sync') {
      return { status: 202, body: { operationId: 'op_1', status: 'queued' } };
    }
    if (req.method === 'GET' && req.url.pathname === '/api/v1/operations/op_1') {
      const state = states[Math.min(polls, states.length - 1)];
      polls++;
      return { status: 200, body: state };
    }
    return { status: 404, body: { error: { code: 'not_found', message: 'no such route' } } };
  });
}

describe('bridge CLI with a fake server', () => {
  describe('sync --wait', () => {
    it('prints each progress step once, in order, and exits 0 on success', async () => {
      const server = syncServer([
        anOperation('queued', []),
        anOperation('running', ['read both sides']),
        anOperation('running', ['read both sides', 'merged']),
        anOperation('succeeded', ['read both sides', 'merged', 'wrote definitions'], { outcome: 'synced' }),
      ]);
      const sleeps: number[] = [];
      const res = await runCli(['sync', 'lnk_1', '--wait'], ENV, {
        fetch: server.fetch,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });
      expect(res.code).toBe(0);
      expect(res.err).toBe('  … read both sides\n  … merged\n  … wrote definitions\n');
      expect(res.out).toBe('succeeded (synced)\n');
      expect(sleeps).toHaveLength(3);
      expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
    });

    it('exits 5 with the error when the sync fails', async () => {
      const server = syncServer([
        anOperation('running', ['read both sides']),
        anOperation('failed', ['read both sides'], {
          error: { code: 'upstream_failed', message: 'GitHub said no' },
        }),
      ]);
      const res = await runCli(['sync', 'lnk_1', '--wait'], ENV, {
        fetch: server.fetch,
        sleep: async () => {},
      });
      expect(res.code).toBe(5);
      expect(res.out).toBe('failed: GitHub said no\n');
    });

    it('--json prints only the final operation, parseable', async () => {
      const server = syncServer([anOperation('running', ['a']), anOperation('succeeded', ['a', 'b'])]);
      const res = await runCli(['sync', 'lnk_1', '--wait', '--json'], ENV, {
        fetch: server.fetch,
        sleep: async () => {},
      });
      expect(res.code).toBe(0);
      expect(res.err).toBe('');
      expect(JSON.parse(res.out)).toMatchObject({ id: 'op_1', status: 'succeeded' });
    });

    it('gives up after --timeout seconds (exit 6) and says how to follow the operation', async () => {
      const server = syncServer([anOperation('running', [])]);
      let now = 0;
      const res = await runCli(['sync', 'lnk_1', '--wait', '--timeout', '3'], ENV, {
        fetch: server.fetch,
        now: () => now,
        sleep: async (ms) => {
          now += ms;
        },
      });
      expect(res.code).toBe(6);
      expect(res.err).toContain('still running after 3 s');
      expect(res.err).toContain('bridge op op_1');
      const polls = server.requests.filter((r) => r.method === 'GET').length;
      expect(polls).toBeGreaterThanOrEqual(6);
      expect(polls).toBeLessThanOrEqual(8);
    });

    it('sends direction and dry-run in the body', async () => {
      const server = syncServer([anOperation('succeeded', [])]);
      await runCli(['sync', 'lnk_1', '--direction', 'definitions-to-design', '--dry-run'], ENV, {
        fetch: server.fetch,
      });
      expect(server.requests[0]).toMatchObject({
        method: 'POST',
        body: { direction: 'definitions-to-design', dryRun: true },
        headers: { 'content-type': 'application/json', authorization: 'Bearer tok-123' },
      });
    });
  });

  describe('requests', () => {
    const ok = () => fakeFetch(() => ({ status: 200, body: { items: [] } }));

    it.each([
      [['link', 'list'], ENV, 'http://bridge.test:9000', 'Bearer tok-123'],
      [
        ['link', 'list', '--url', 'http://other:1', '--token', 'flag-tok'],
        ENV,
        'http://other:1',
        'Bearer flag-tok',
      ],
      [['link', 'list'], { BRIDGE_ADMIN_TOKEN: 'adm', PORT: '7000' }, 'http://localhost:7000', 'Bearer adm'],
      [
        ['link', 'list'],
        { BRIDGE_TOKEN: 'key', BRIDGE_ADMIN_TOKEN: 'adm' },
        'http://localhost:8080',
        'Bearer key',
      ],
    ])('%j with %j goes to %s with %s', async (argv, env, origin, auth) => {
      const server = ok();
      const res = await runCli(argv, env, { fetch: server.fetch });
      expect(res.code).toBe(0);
      expect(server.requests[0]?.url.origin).toBe(origin);
      expect(server.requests[0]?.headers.authorization).toBe(auth);
    });

    it.each([
      [['link', 'add', '--repo', 'r', '--design', 'd'], 'POST', '/api/v1/links', { repo: 'r', design: 'd' }],
      [
        ['link', 'add', 'r', 'd', '--direct'],
        'POST',
        '/api/v1/links',
        { repo: 'r', design: 'd', policy: { writes: 'direct' } },
      ],
      [['link', 'rm', 'a/b'], 'DELETE', '/api/v1/links/a%2Fb', undefined],
      [['status', 'lnk_1'], 'GET', '/api/v1/links/lnk_1', undefined],
      [['status', 'lnk_1', '--json'], 'GET', '/api/v1/sync/status', undefined],
      [['conflicts', 'lnk_1'], 'GET', '/api/v1/links/lnk_1/conflicts', undefined],
      [
        ['resolve', 'lnk_1', 'c1', '--take', 'value', '--value', '{"a":1}'],
        'POST',
        '/api/v1/links/lnk_1/conflicts/c1/resolve',
        { take: 'value', value: { a: 1 } },
      ],
      [
        ['resolve', 'lnk_1', 'c1', 'design'],
        'POST',
        '/api/v1/links/lnk_1/conflicts/c1/resolve',
        { take: 'design' },
      ],
      [['drift', 'lnk_1'], 'GET', '/api/v1/links/lnk_1/drift', undefined],
      [['deliveries', 'd-1'], 'GET', '/api/v1/deliveries/d-1', undefined],
      [['deliveries'], 'GET', '/api/v1/deliveries', undefined],
      [['deliveries', '--outcome', 'received'], 'GET', '/api/v1/deliveries', undefined],
      [['dead-letters'], 'GET', '/api/v1/dead-letters', undefined],
      [['dead-letters', 'replay', 'x'], 'POST', '/api/v1/dead-letters/x/replay', undefined],
      [
        ['keys', 'create', '--tenant', 'acme', '--tier', 'admin'],
        'POST',
        '/api/v1/keys',
        { tenant: 'acme', tier: 'admin' },
      ],
      [['keys', 'revoke', 'k1'], 'DELETE', '/api/v1/keys/k1', undefined],
      [['op', 'op_1'], 'GET', '/api/v1/operations/op_1', undefined],
    ])('%j → %s %s', async (argv, method, path, body) => {
      const server = ok();
      const res = await runCli(argv, ENV, { fetch: server.fetch });
      expect(res.code, res.err).toBe(0);
      const [req] = server.requests as [Exchange];
      expect(req.method).toBe(method);
      expect(req.url.pathname).toBe(path);
      expect(req.body).toEqual(body);
    });

    it('conflicts --state all asks for every conflict', async () => {
      const server = ok();
      await runCli(['conflicts', 'lnk_1', '--state', 'all'], ENV, { fetch: server.fetch });
      expect(server.requests[0]?.url.searchParams.has('state')).toBe(false);
      await runCli(['conflicts', 'lnk_1'], ENV, { fetch: server.fetch });
      expect(server.requests[1]?.url.searchParams.get('state')).toBe('open');
    });
  });

  describe('exit codes', () => {
    const answering = (status: number, code: string) =>
      fakeFetch(() => ({ status, body: { error: { code, message: `the ${code} message` } } }));

    it.each([
      [400, 'validation_failed', 2],
      [401, 'unauthorized', 3],
      [403, 'forbidden', 3],
      [404, 'not_found', 4],
      [409, 'conflict', 5],
      [413, 'payload_too_large', 2],
      [429, 'rate_limited', 6],
      [500, 'internal', 6],
      [503, 'unavailable', 6],
    ])('HTTP %i (%s) exits %i and prints the message', async (status, code, exit) => {
      const res = await runCli(['link', 'list'], ENV, { fetch: answering(status, code).fetch });
      expect(res.code).toBe(exit);
      expect(res.err).toBe(`bridge: the ${code} message (${code})\n`);
      expect(res.out).toBe('');
    });

    it('a non-JSON error page still gives the status', async () => {
      const server = fakeFetch(() => ({ status: 502 }));
      const res = await runCli(['link', 'list'], ENV, { fetch: server.fetch });
      expect(res.code).toBe(6);
      expect(res.err).toContain('HTTP 502');
    });

    it('an unreachable server exits 6 and never prints the token', async () => {
      const server = fakeFetch(() => new TypeError('fetch failed'));
      const res = await runCli(['link', 'list'], ENV, { fetch: server.fetch });
      expect(res.code).toBe(6);
      expect(res.err).toBe(
        'bridge: Cannot reach the bridge at http://bridge.test:9000 (fetch failed); is it running? (unreachable)\n',
      );
      expect(res.err).not.toContain('tok-123');
    });

    it('credentials in the URL are refused before any request, without echoing them', async () => {
      const server = fakeFetch(() => ({ status: 200, body: { items: [] } }));
      const res = await runCli(
        ['link', 'list'],
        { ...ENV, BRIDGE_URL: 'http://user:secret@bridge.test:9000' },
        {
          fetch: server.fetch,
        },
      );
      expect(res.code).toBe(2);
      expect(res.err).toContain('must not contain credentials');
      expect(res.err).not.toContain('secret@');
      expect(server.requests).toHaveLength(0);
    });

    it('a missing token on a 401 says how to give one', async () => {
      const res = await runCli(
        ['link', 'list'],
        { BRIDGE_URL: ENV.BRIDGE_URL },
        { fetch: answering(401, 'unauthorized').fetch },
      );
      expect(res.code).toBe(3);
      expect(res.err).toContain('--token');
    });

    it.each([
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['link'], 'unknown command "link"'],
      [['link', 'show'], 'missing link id'],
      [['link', 'add', '--repo', 'r'], 'missing --design'],
      [['sync'], 'missing link id'],
      [['sync', 'lnk_1', '--wait', '--timeout', 'soon'], '--timeout'],
      [['resolve', 'lnk_1', 'c1'], 'missing --take'],
      [['keys', 'rotate'], 'unknown keys command "rotate"'],
      [['dead-letters', 'purge'], 'unknown dead-letters command "purge"'],
      [['link', 'list', '--url'], '--url needs a value'],
      [['link', 'list', '--jsno'], 'unknown option --jsno'],
      [['link', 'list', '--url', 'not a url'], '--url'],
      [['link', 'list', '--take', 'design'], 'unknown option --take for "bridge link list"'],
      [['link', 'list', 'extra'], 'unexpected argument "extra"'],
      [['sync', 'lnk_1', '--kind', 'removal'], 'unknown option --kind for "bridge sync"'],
      [['sync', 'lnk_1', '--wait=yes'], '--wait takes no value'],
      [['status', 'lnk_1', '--policy', 'writes=direct'], 'unknown option --policy'],
      [['drift', 'lnk_1', '--state', 'open'], 'unknown option --state'],
      [['link', 'add', 'r', 'd', '--policy', 'direct'], '--policy takes name=value'],
      [['link', 'set', 'lnk_1'], 'say what to change'],
      [['resolve', 'lnk_1', '--all', '--take', 'value'], '--all takes --take design or --take definitions'],
      [['resolve', 'lnk_1', 'c1', '--all', '--take', 'design'], 'a conflict id or --all, not both'],
      [['resolve', 'lnk_1', 'c1', '--take', 'design', '--kind', 'field'], '--kind goes with --all'],
      [['config', '--json'], 'unknown option --json for "bridge config"'],
    ])('%j is a usage error (exit 2): %s', async (argv, message) => {
      const server = fakeFetch(() => ({ status: 200, body: {} }));
      const res = await runCli(argv, ENV, { fetch: server.fetch });
      expect(res.code).toBe(2);
      expect(res.err).toContain(message);
      expect(res.err).toContain('bridge --help');
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('help', () => {
    it.each([[['--help']], [['help']], [[]], [['link', 'add', '--help']]])(
      '%j prints usage and exits 0',
      async (argv) => {
        const res = await runCli(argv, {});
        expect(res.code).toBe(0);
        expect(res.out).toBe(HELP);
      },
    );

    it('documents every command and the exit codes', () => {
      for (const command of [
        'bridge serve',
        'bridge link add',
        'bridge sync',
        'bridge status',
        'bridge conflicts',
        'bridge resolve',
        'bridge drift',
        'bridge deliveries',
        'bridge dead-letters',
        'bridge keys',
      ]) {
        expect(HELP).toContain(command);
      }
      expect(HELP).toMatch(/Exit codes: 0 ok, 1 failure, 2 usage.*3 auth, 4 not found, 5 .*6 unavailable/s);
    });

    it('config prints the settings table', async () => {
      const res = await runCli(['config'], {});
      expect(res.code).toBe(0);
      expect(res.out).toContain('| `BRIDGE_ADMIN_TOKEN` |');
    });
  });
});
