import { describe, expect, it } from 'vitest';
import { fakeFetch, runCli } from './support.ts';

const ENV = { BRIDGE_URL: 'http://bridge.test:9000', BRIDGE_TOKEN: 'tok-123' };

/** What the CLI prints for people (a fake server answers), and the requests of the newer commands. */
describe('bridge CLI output with a fake server', () => {
  describe('sync --wait says what the sync did', () => {
    const changes = {
      definitions: { added: ['billing'], updated: ['core'], removed: [] },
      design: { added: [], updated: ['auth'], removed: ['legacy'] },
    };
    /** Answers the sync, its operation and the conflicts that operation recorded (open and settled). */
    const server = (op: Record<string, unknown>, conflicts: Record<string, unknown[]> = {}) =>
      fakeFetch((req) => {
        if (req.method === 'POST') return { status: 202, body: { operationId: 'op_1', status: 'queued' } };
        if (req.url.pathname === '/api/v1/operations/op_1')
          return { status: 200, body: { id: 'op_1', ...op } };
        if (req.url.pathname === '/api/v1/links/lnk_1/conflicts') {
          expect(req.url.searchParams.get('operationId')).toBe('op_1');
          const items = conflicts[req.url.searchParams.get('state') ?? ''] ?? [];
          return { status: 200, body: { items, total: items.length } };
        }
        return { status: 404, body: { error: { code: 'not_found', message: 'no route' } } };
      });
    const run = (argv: string[], s: ReturnType<typeof server>) =>
      runCli(argv, ENV, { fetch: s.fetch, sleep: async () => {} });

    it('prints the changes per side and the commit; no conflict opened exits 0', async () => {
      const res = await run(
        ['sync', 'lnk_1', '--wait'],
        server({ status: 'succeeded', outcome: 'synced', changes, commitSha: 'a'.repeat(40) }),
      );
      expect(res.code, res.err).toBe(0);
      expect(res.out).toBe(
        [
          'succeeded (synced)',
          '  definitions: added billing; updated core',
          '  design: updated auth; removed legacy',
          `  commit: ${'a'.repeat(40)}`,
          '',
        ].join('\n'),
      );
    });

    it('names each conflict the sync opened (id, service, field) and exits 5; policy-settled ones are listed too', async () => {
      const opened = [
        { id: 'lnk_1_f1', state: 'open', serviceId: 'core', field: 'name', kind: 'field' },
        {
          id: 'lnk_1_r1',
          state: 'open',
          serviceId: 'auth',
          field: null,
          kind: 'removal',
          issueUrl: 'https://github.com/o/r/issues/7',
        },
      ];
      const settled = [
        {
          id: 'lnk_1_v1',
          state: 'settled',
          serviceId: 'core',
          field: 'version',
          kind: 'version',
          resolution: 'higher-version',
        },
      ];
      const res = await run(
        ['sync', 'lnk_1', '--wait'],
        server(
          {
            status: 'succeeded',
            outcome: 'no-changes',
            conflicts: 3,
            pullRequest: 'https://github.com/o/r/pull/3',
            summary: {
              text: 'Core (core): version 1.0.0 to 2.0.0 \u001b[31m, a major version.',
              source: 'deterministic',
              reason: 'providers-down',
              fingerprint: 'f'.repeat(32),
            },
          },
          { open: opened, settled },
        ),
      );
      expect(res.code).toBe(5);
      expect(res.out).toContain(
        '  summary (from the changes, providers-down): Core (core): version 1.0.0 to 2.0.0  [31m, a major version.',
      );
      expect(res.out).not.toContain('\u001b');
      expect(res.out).toContain('  pull request: https://github.com/o/r/pull/3');
      expect(res.out).toContain('2 conflicts opened, waiting for a decision:');
      expect(res.out).toContain('    lnk_1_f1  core · name (field)');
      expect(res.out).toContain(
        '    lnk_1_r1  auth · whole service (removal)  review: https://github.com/o/r/issues/7',
      );
      expect(res.out).toContain('bridge resolve lnk_1 <conflict> --take design|definitions');
      expect(res.out).toContain('    lnk_1_v1  core · version (version): higher-version');
    });

    it('--dry-run waits and prints the plan as what a sync would do', async () => {
      const s = server({ status: 'succeeded', outcome: 'dry-run', dryRun: true, changes, conflicts: 1 });
      const res = await run(['sync', 'lnk_1', '--dry-run'], s);
      expect(res.code, res.err).toBe(0);
      expect(res.out).toBe(
        [
          'dry run: nothing was written; a sync now would do this',
          '  definitions: would add billing; would update core',
          '  design: would update auth; would remove legacy',
          '  1 conflict found',
          '',
        ].join('\n'),
      );
      expect(s.requests[0]?.body).toEqual({ dryRun: true });
    });
  });

  describe('status and drift for people', () => {
    it('status <link> prints labelled lines, not JSON', async () => {
      const link = {
        id: 'lnk_1',
        status: 'conflict',
        repo: 'https://github.com/acme/platform',
        branch: 'main',
        design: 'https://drive.google.com/file/d/F',
        policy: {
          writes: 'pull-request',
          onConflict: 'manual',
          onRemoval: 'manual',
          versions: 'higher-wins',
          maxDeletePercent: 50,
          mode: 'sync',
        },
        lastSync: { operationId: 'op_9', at: '2026-01-01T00:00:00.000Z', result: 'synced' },
        openConflicts: 2,
        drift: { 'designed-not-implemented': 1, 'version-mismatch': 0 },
        pendingPullRequest: { url: 'https://github.com/acme/platform/pull/4' },
      };
      const server = fakeFetch(() => ({ status: 200, body: link }));
      const res = await runCli(['status', 'lnk_1'], ENV, { fetch: server.fetch });
      expect(res.code).toBe(0);
      expect(res.out).not.toContain('{');
      expect(res.out.split('\n')).toEqual([
        'lnk_1: conflict',
        '  repository   https://github.com/acme/platform @ main',
        '  design       https://drive.google.com/file/d/F',
        '  policy       writes pull-request, on conflict manual, removals manual, versions higher-wins, max delete 50%, mode sync',
        '  last sync    synced at 2026-01-01T00:00:00.000Z (op_9)',
        '  conflicts    2 open (bridge conflicts lnk_1)',
        '  drift        1 finding: designed-not-implemented 1 (bridge drift lnk_1)',
        '  proposal     https://github.com/acme/platform/pull/4 (waiting for review)',
        '',
      ]);
    });

    it('drift prints each finding with its message', async () => {
      const server = fakeFetch(() => ({
        status: 200,
        body: {
          linkId: 'lnk_1',
          computedAt: '2026-01-01T00:00:00.000Z',
          findings: [
            {
              kind: 'version-mismatch',
              serviceId: 'core',
              message: 'core: versions differ (design 2.0.0, definitions 2.1.0)',
            },
            {
              kind: 'implemented-not-designed',
              path: 'services/x',
              message: 'services/x/ is not in the architecture',
            },
          ],
        },
      }));
      const res = await runCli(['drift', 'lnk_1'], ENV, { fetch: server.fetch });
      expect(res.out).toBe(
        [
          '2 drift findings (computed 2026-01-01T00:00:00.000Z):',
          '  version-mismatch          core: versions differ (design 2.0.0, definitions 2.1.0)',
          '  implemented-not-designed  services/x/ is not in the architecture',
          '',
        ].join('\n'),
      );
      const none = fakeFetch(() => ({
        status: 200,
        body: { linkId: 'lnk_1', findings: [], computedAt: null },
      }));
      expect((await runCli(['drift', 'lnk_1'], ENV, { fetch: none.fetch })).out).toContain(
        'no drift report yet',
      );
    });
  });

  describe('policies and bulk resolution', () => {
    const ok = () =>
      fakeFetch(() => ({ status: 200, body: { id: 'lnk_1', changes: {}, settled: 0, remaining: 0 } }));
    it.each([
      [
        [
          'link',
          'add',
          '--repo',
          'r',
          '--design',
          'd',
          '--policy',
          'writes=direct',
          '--policy',
          'onConflict=manual',
        ],
        'POST',
        '/api/v1/links',
        { repo: 'r', design: 'd', policy: { writes: 'direct', onConflict: 'manual' } },
      ],
      [
        ['link', 'add', 'r', 'd', '--policy', 'maxDeletePercent=30'],
        'POST',
        '/api/v1/links',
        { repo: 'r', design: 'd', policy: { maxDeletePercent: 30 } },
      ],
      [
        ['link', 'set', 'lnk_1', '--policy', 'writes=direct', '--branch', 'dev', '--mode', 'report-only'],
        'PATCH',
        '/api/v1/links/lnk_1',
        { policy: { writes: 'direct' }, branch: 'dev', mode: 'report-only' },
      ],
      [['link', 'set', 'lnk_1', '--mode', 'sync'], 'PATCH', '/api/v1/links/lnk_1', { mode: 'sync' }],
      [
        ['resolve', 'lnk_1', '--all', '--take', 'design', '--kind', 'removal'],
        'POST',
        '/api/v1/links/lnk_1/conflicts/resolve',
        { take: 'design', kind: 'removal' },
      ],
      [
        ['resolve', 'lnk_1', '--all', '--take', 'definitions'],
        'POST',
        '/api/v1/links/lnk_1/conflicts/resolve',
        { take: 'definitions' },
      ],
    ])('%j → %s %s %j', async (argv, method, path, body) => {
      const server = ok();
      const res = await runCli(argv, ENV, { fetch: server.fetch });
      expect(res.code, res.err).toBe(0);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ method, body });
      expect(server.requests[0]?.url.pathname).toBe(path);
    });

    it('link set prints each change; resolve --all prints what it settled', async () => {
      const patched = fakeFetch(() => ({
        status: 200,
        body: { id: 'lnk_1', changes: { 'policy.writes': { from: 'pull-request', to: 'direct' } } },
      }));
      const set = await runCli(['link', 'set', 'lnk_1', '--policy', 'writes=direct'], ENV, {
        fetch: patched.fetch,
      });
      expect(set.out).toBe('updated link lnk_1:\n  policy.writes: pull-request → direct\n');
      const bulk = fakeFetch(() => ({
        status: 200,
        body: { settled: 600, failed: 0, remaining: 0, errors: [], operationId: 'op_7' },
      }));
      const all = await runCli(['resolve', 'lnk_1', '--all', '--take', 'design', '--kind', 'removal'], ENV, {
        fetch: bulk.fetch,
      });
      expect(all.out).toBe('settled 600 removal conflicts with the design side; sync op_7 queued\n');
    });
  });
});
