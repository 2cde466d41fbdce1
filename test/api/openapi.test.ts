import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventBus } from '../../shared/adapters/local/index.ts';
import { createIntegrationsRouter } from '../../shared/api/routes/integrations.ts';
import { createStatusApiRouter } from '../../shared/api/status-api.ts';
import { TEST_SECRET, webhookDelivery } from '../ingress/support/webhook-delivery.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { linkFor, openConflictOn, raw, type TenantLink } from './support.ts';

type Operation = {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
type PathItem = Record<string, unknown> & { parameters?: Operation['parameters'] };
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const NO_AUTH = ['/healthz', '/api/v1/openapi.json', '/api/integrations/github/callback'];

function operations(doc: Document): Array<{ path: string; method: string; item: PathItem; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, item, op: item[method] as Operation })),
  );
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  let bridge: TestBridge;
  let doc: Document;
  let ajv: Ajv2020;
  beforeAll(async () => {
    bridge = await startTestBridge({ GITHUB_WEBHOOK_SECRET: TEST_SECRET });
    const res = await raw(bridge, 'GET', '/api/v1/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = res.body as Document;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('is OpenAPI 3.1 with info, servers and a bearer security scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc).toMatchObject({
      servers: [{ url: expect.stringMatching(/^http/) }],
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    });
  });

  it('documents every route of the router, and nothing the router does not serve', () => {
    const routes = [
      ...createStatusApiRouter(bridge.ctx).list(),
      ...createIntegrationsRouter(bridge.ctx).list(),
    ].filter((r) => r.pattern !== '/api/integrations/github/callback');
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const documented = operations(doc).map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    const served = routes.map(({ method, pattern }) => `${method} ${pattern}`);
    expect(documented.filter((d) => !NO_AUTH.some((p) => d.endsWith(` ${p}`))).sort()).toEqual(served.sort());
    for (const path of NO_AUTH) expect(documented).toContain(`GET ${path}`);
  });

  it('declares every path parameter, a unique operationId and a success response per operation', () => {
    const ids = new Set<string>();
    for (const { path, method, item, op } of operations(doc)) {
      const where = `${method} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-zA-Z]+$/);
      expect(ids.has(op.operationId ?? ''), `duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId ?? '');
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const name of templated) {
        expect(params.find((p) => p.name === name && p.in === 'path')?.required, `${where} {${name}}`).toBe(
          true,
        );
      }
      for (const p of params.filter((p) => p.in === 'path')) expect(templated, where).toContain(p.name);
      // Success is a 2xx, or for the OAuth callback the redirect back to the dashboard.
      expect(
        Object.keys(op.responses).some((s) => /^[23]\d\d$/.test(s)),
        where,
      ).toBe(true);
      if (!NO_AUTH.includes(path)) expect(Object.keys(op.responses), where).toContain('401');
    }
  });

  it('every $ref points at a component schema', () => {
    const refs = refsIn(doc.paths);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      const name = /^#\/components\/schemas\/(\w+)$/.exec(ref)?.[1];
      expect(name, ref).toBeDefined();
      expect(doc.components.schemas[name ?? ''], ref).toBeDefined();
    }
  });

  it('every component schema compiles as JSON Schema 2020-12', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(
      expect.arrayContaining(['Link', 'Operation', 'Conflict', 'Error', 'CreateLinkBody']),
    );
    for (const name of names) {
      const schema = doc.components.schemas[name];
      expect(() => ajv.compile(schema ?? {}), name).not.toThrow();
    }
  });

  it('request schemas accept what the API accepts and refuse what it refuses', () => {
    const createLink = ajv.compile(doc.components.schemas.CreateLinkBody ?? {});
    expect(
      createLink({ repo: 'https://github.com/o/r', design: 'file:///d.json', policy: { writes: 'direct' } }),
    ).toBe(true);
    expect(createLink({ repo: 'https://github.com/o/r' })).toBe(false);
    expect(createLink({ repo: 'x', design: 'y', policy: { yolo: 1 } })).toBe(false);
    const resolve = ajv.compile(doc.components.schemas.ResolveBody ?? {});
    expect(resolve({ take: 'design' })).toBe(true);
    expect(resolve({ take: 'mine' })).toBe(false);
    const update = ajv.compile(doc.components.schemas.UpdateLinkBody ?? {});
    expect(update({ policy: { writes: 'direct' }, branch: 'main', mode: 'report-only' })).toBe(true);
    expect(update({ policy: { yolo: 1 } })).toBe(false);
    expect(update({ repo: 'https://github.com/o/r' })).toBe(false);
    const bulk = ajv.compile(doc.components.schemas.BulkResolveBody ?? {});
    expect(bulk({ take: 'definitions', kind: 'removal' })).toBe(true);
    expect(bulk({ take: 'value', value: 1 })).toBe(false);
    expect(bulk({ take: 'design', kind: 'everything' })).toBe(false);
  });

  describe('real answers match their documented schemas', () => {
    let link: TenantLink;
    beforeAll(async () => {
      link = await linkFor(bridge, undefined, { writes: 'direct', onConflict: 'manual' });
      await openConflictOn(bridge, link);
    });

    const check = (schemaName: string, value: unknown) => {
      expect(doc.components.schemas[schemaName], `component ${schemaName}`).toBeDefined();
      const validate = ajv.compile(doc.components.schemas[schemaName] ?? {});
      expect(validate(value), `${schemaName}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };
    const body = async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const res = await bridge.api<Record<string, unknown>>(init.method ?? 'GET', path, init.body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    };

    it('links, operations, conflicts, drift, queued syncs', async () => {
      check('Link', await body(`/api/v1/links/${link.id}`));
      for (const item of ((await body('/api/v1/links')).items as unknown[]) ?? []) check('Link', item);
      const ops = (await body(`/api/v1/links/${link.id}/operations`)).items as Array<{ id: string }>;
      expect(ops.length).toBeGreaterThan(0);
      for (const op of ops) check('Operation', op);
      const conflictPage = await body(`/api/v1/links/${link.id}/conflicts`);
      check('ConflictPage', conflictPage);
      const conflicts = conflictPage.items as unknown[];
      expect(conflicts.length).toBeGreaterThan(0);
      for (const c of conflicts) check('Conflict', c);
      const [first] = conflicts as Array<{ id: string }>;
      check('ConflictSuggestion', await body(`/api/v1/links/${link.id}/conflicts/${first?.id}/suggestion`));
      check(
        'BulkResolveResult',
        await body(`/api/v1/links/${link.id}/conflicts/resolve`, {
          method: 'POST',
          body: { take: 'design' },
        }),
      );
      // Settled conflicts carry `applied` (false until a sync has written the decision to both sides).
      const settled = await body(`/api/v1/links/${link.id}/conflicts?state=settled`);
      check('ConflictPage', settled);
      expect((settled.items as unknown[]).length).toBeGreaterThan(0);
      for (const c of settled.items as unknown[]) check('Conflict', c);
      check('Drift', await body(`/api/v1/links/${link.id}/drift`));
      const updated = await body(`/api/v1/links/${link.id}`, {
        method: 'PATCH',
        body: { policy: { maxDeletePercent: 40 } },
      });
      check('LinkUpdate', updated);
      expect(updated.changes).toEqual({ 'policy.maxDeletePercent': { from: 50, to: 40 } });
      check('Queued', await body(`/api/v1/links/${link.id}/sync`, { method: 'POST', body: {} }));
      await bridge.idle();
    });

    it('aliases, health, keys, deliveries and dead letters', async () => {
      check('SyncStatus', await body('/api/v1/sync/status'));
      check('DesignExport', await body('/api/v1/visualizations/aistudio/export'));
      for (const s of ((await body('/api/v1/services/github')).services as unknown[]) ?? [])
        check('Service', s);
      check('Queued', await body('/api/v1/sync/bidirectional', { method: 'POST', body: {} }));
      await bridge.idle();
      check('Health', await body('/api/v1/health'));
      check('AiCallPage', await body('/api/v1/ai/calls'));
      check('SyncStats', await body('/api/v1/stats?hours=1&bucketMinutes=5'));
      check('SyncStats', await body(`/api/v1/stats?link=${link.id}`));
      await body('/api/v1/keys', { method: 'POST', body: { tenant: 'schema-check' } });
      for (const k of ((await body('/api/v1/keys')).items as unknown[]) ?? []) check('ApiKey', k);

      const delivery = webhookDelivery({ event: 'ping' });
      await fetch(`${bridge.url}/github/webhook`, {
        method: 'POST',
        headers: delivery.headers,
        body: new Uint8Array(delivery.body),
      });
      check('Delivery', await body(`/api/v1/deliveries/${delivery.deliveryId}`));
      const listed = (await body('/api/v1/deliveries?outcome=published')).items as unknown[];
      expect(listed.length).toBeGreaterThan(0);
      for (const d of listed) check('Delivery', d);

      const bus = new SqliteEventBus({
        file: join(bridge.dir, 'data', 'bridge.sqlite'),
        retry: { maxAttempts: 1, minBackoffMs: 0, maxBackoffMs: 0 },
      });
      bus.subscribe('schema-poison', async () => {
        throw new Error('poison');
      });
      bus.start();
      await bus.publish('schema-poison', { n: 1 }, { attributes: { a: 'b' }, orderingKey: 'k' });
      await bus.idle();
      await bus.close();
      const dead = (await body('/api/v1/dead-letters')).items as unknown[];
      expect(dead).toHaveLength(1);
      check('DeadLetter', dead[0]);
    });

    it('grants and the access report', async () => {
      const granted = `/api/v1/tenants/schema-check/grants/owners/acme`;
      check('TenantGrants', await body(granted, { method: 'PUT' }));
      check(
        'TenantGrants',
        await body('/api/v1/tenants/schema-check/grants/drive-folders/0BxYz', { method: 'PUT' }),
      );
      check('TenantGrants', await body('/api/v1/tenants/schema-check/grants'));
      for (const g of ((await body('/api/v1/grants')).items as unknown[]) ?? []) check('TenantGrants', g);
      check('TenantGrants', await body(granted, { method: 'DELETE' }));
      check('AccessReport', await body('/api/v1/access/refused-links'));
    });

    it('error answers match Error', async () => {
      for (const res of [
        await raw(bridge, 'GET', '/api/v1/links', { token: null }),
        await raw(bridge, 'GET', '/api/v1/links/lnk_nope'),
        await raw(bridge, 'POST', '/api/v1/links', {
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
        await raw(bridge, 'PUT', '/api/v1/links'),
      ]) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        check('Error', res.body);
      }
    });
  });
});
