import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictSuggestion } from '../../shared/api/suggest-conflict.ts';
import { definitionPath } from '../../shared/domain/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { readFileAt } from '../support/local-git.ts';
import { SUGGESTION_CASES, seedSuggestionLink } from './suggestion-seed.ts';
import { expectError, linkFor, openConflictOn, tenantKey } from './support.ts';

/** Without an AI provider: the policy's own answer, per kind, for the caller's tenant only. */
describe('GET …/conflicts/{cid}/suggestion without an AI provider', () => {
  let bridge: TestBridge;
  let ids: Record<keyof typeof SUGGESTION_CASES, string>;
  let acme: string;
  let globex: string;
  const LINK = 'lnk_suggest000000001';
  const ACME_LINK = 'lnk_suggestacme00001';
  const path = (link: string, cid: string) => `/api/v1/links/${link}/conflicts/${cid}/suggestion`;

  beforeAll(async () => {
    bridge = await startTestBridge();
    ids = (await seedSuggestionLink(bridge.ctx.state, LINK)) as typeof ids;
    acme = (await tenantKey(bridge, 'acme')).key;
    globex = (await tenantKey(bridge, 'globex')).key;
    await seedSuggestionLink(bridge.ctx.state, ACME_LINK, 'acme', undefined, { name: {} });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it.each([
    ['name', 'design', undefined, /design-wins/],
    ['version', 'definitions', undefined, /2\.0\.0 is a major step over 1\.2\.0/],
    ['technologies', 'merged', ['TypeScript', 'Postgres', 'Redis', 'Kafka'], /union/],
    ['removal', 'design', undefined, /deliberate/],
    ['path', 'design', undefined, /design-wins/],
  ] as const)(
    '%s: %s, from the policy, with the reason the model was not used',
    async (name, choice, value, why) => {
      const res = await bridge.api<ConflictSuggestion>('GET', path(LINK, ids[name]));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        conflictId: ids[name],
        choice,
        source: 'policy',
        reason: 'no AI provider is configured',
        apply: choice === 'merged' ? { take: 'value', value } : { take: choice },
      });
      expect(res.body.value).toEqual(value);
      expect(res.body.rationale).toMatch(why);
      expect(res.body.rationale).not.toMatch(/\n/);
    },
  );

  it('is never applied by asking: the conflict stays open, and nothing is cached for a rule answer', async () => {
    await bridge.api('GET', path(LINK, ids.name));
    const open = await bridge.api<{ total: number }>('GET', `/api/v1/links/${LINK}/conflicts?state=open`);
    expect(open.body.total).toBe(Object.keys(SUGGESTION_CASES).length);
    expect(await bridge.ctx.state.get(COLLECTIONS.conflictSuggestions, ids.name)).toBeUndefined();
  });

  it('applying goes through the resolve route with the `apply` body; a settled conflict is 409', async () => {
    const suggestion = (await bridge.api<ConflictSuggestion>('GET', path(LINK, ids.technologies))).body;
    const resolved = await bridge.api<{ conflict: { state: string; value: unknown } }>(
      'POST',
      `/api/v1/links/${LINK}/conflicts/${ids.technologies}/resolve`,
      suggestion.apply,
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body.conflict).toMatchObject({ state: 'settled', value: suggestion.value });
    expectError(await bridge.api('GET', path(LINK, ids.technologies)), 409, 'conflict');
    await bridge.idle();
  });

  it('another tenant’s conflict is 404, through its link or through the caller’s own', async () => {
    const acmeConflict = `${ACME_LINK}_name`;
    expect((await bridge.api('GET', path(ACME_LINK, acmeConflict), undefined, acme)).status).toBe(200);
    expectError(await bridge.api('GET', path(ACME_LINK, acmeConflict), undefined, globex), 404, 'not_found');
    expectError(await bridge.api('GET', path(LINK, ids.name), undefined, acme), 404, 'not_found');
    // acme's own link with the admin's conflict id: the conflict is not that link's.
    expectError(await bridge.api('GET', path(ACME_LINK, ids.name), undefined, acme), 404, 'not_found');
    expectError(await bridge.api('GET', path(LINK, 'no-such-conflict')), 404, 'not_found');
  });

  it('a conflict a real sync opened: the suggestion applied through resolve is written to both sides', async () => {
    const link = await linkFor(bridge, acme, { writes: 'direct', onConflict: 'manual' });
    const conflict = await openConflictOn(bridge, link);
    const res = await bridge.api<ConflictSuggestion>('GET', path(link.id, conflict.id), undefined, acme);
    expect(res.body).toMatchObject({ choice: 'design', source: 'policy', apply: { take: 'design' } });
    const resolved = await bridge.api(
      'POST',
      `/api/v1/links/${link.id}/conflicts/${conflict.id}/resolve`,
      res.body.apply,
      acme,
    );
    expect(resolved.status).toBe(200);
    await bridge.idle();
    expect(await readFileAt(link.repoDir, 'main', definitionPath('core'))).toMatch(
      /^name: Core \(design\)$/m,
    );
  });
});
