import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionPath } from '../../shared/domain/index.ts';
import type { ConflictRecord, Link, Operation } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { readFileAt } from '../support/local-git.ts';
import { component } from '../sync/support.ts';
import { expectError, linkFor, openConflictOn, raw, type TenantLink } from './support.ts';

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A conflict is settled only with a value the edit schema accepts, on every route that settles one. */
describe('resolving a conflict validates the value like an edit', () => {
  let bridge: TestBridge;
  let link: TenantLink;
  let conflict: ConflictRecord;
  beforeAll(async () => {
    bridge = await startTestBridge();
    link = await linkFor(bridge, undefined, { writes: 'direct', onConflict: 'manual' });
    conflict = await openConflictOn(bridge, link);
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const routes = [
    ['the conflict route', () => `/api/v1/links/${link.id}/conflicts/${conflict.id}/resolve`, () => ''],
    [
      'the spec alias',
      () => `/api/v1/sync/resolve-conflicts?link=${link.id}`,
      () => `"conflictId":"${conflict.id}",`,
    ],
  ] as const;
  const post = (path: string, body: string) =>
    raw(bridge, 'POST', path, { headers: { 'content-type': 'application/json' }, body });

  const expectStillOpen = async () => {
    const open = await bridge.api<{ items: ConflictRecord[] }>(
      'GET',
      `/api/v1/links/${link.id}/conflicts?state=open`,
    );
    expect(open.body.items.map((c) => c.id)).toEqual([conflict.id]);
  };

  describe.each(routes)('%s', (_name, path, extra) => {
    it.each([
      ['a __proto__ key', `{"__proto__":{"polluted":true}}`, /__proto__/],
      ['a constructor key', `{"constructor":{"prototype":{"polluted":true}}}`, /constructor/],
      ['a value the schema refuses', '42', /name/],
      ['an over-long name', JSON.stringify('n'.repeat(201)), /name/],
      ['a value nested 100,000 levels', nested(100_000), /nested deeper than/],
    ])('%s is 400 with the reason, and the conflict stays open', async (_case, value, reason) => {
      const res = await post(path(), `{${extra()}"take":"value","value":${value}}`);
      expect(expectError(res, 400, 'validation_failed')).toMatch(reason);
      await expectStillOpen();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  it('a settled value is stored as validated (trimmed) and the next sync writes it to both sides', async () => {
    const res = await bridge.api<{ conflict: ConflictRecord; operationId: string }>(
      'POST',
      `/api/v1/links/${link.id}/conflicts/${conflict.id}/resolve`,
      { take: 'value', value: '  Core (agreed)  ' },
    );
    expect(res.status).toBe(200);
    expect(res.body.conflict).toMatchObject({ state: 'settled', value: 'Core (agreed)' });
    await bridge.idle();
    const op = await bridge.api<Operation>('GET', `/api/v1/operations/${res.body.operationId}`);
    expect(op.body.status).toBe('succeeded');
    const stored = await bridge.api<{ items: ConflictRecord[] }>('GET', `/api/v1/links/${link.id}/conflicts`);
    expect(stored.body.items.find((c) => c.id === conflict.id)?.value).toBe('Core (agreed)');
    const text = await readFileAt(link.repoDir, 'main', definitionPath('core'));
    expect(text).toMatch(/^name: Core \(agreed\)$/m);
    const design = JSON.parse(await readFile(link.designFile, 'utf8'));
    expect(component(design, 'core').name).toBe('Core (agreed)');
    expect((await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body.status).toBe('synced');
  });
});
