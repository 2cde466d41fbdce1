import { describe, expect, it } from 'vitest';
import { designScope, ResilienceKit, repoScope } from '../../shared/resilience/index.ts';

describe('ResilienceKit status by scope (what a tenant’s health shows)', () => {
  function kit() {
    const k = new ResilienceKit({ failureThreshold: 1, now: () => 0 });
    const keys = {
      own: 'github:h/user-aaa',
      other: 'github:h/user-bbb',
      shared: 'drive:h',
      unscoped: 'github:h/x',
    };
    k.noteScope(keys.own, repoScope('Acme', 'Platform'));
    k.noteScope(keys.other, repoScope('globex', 'plans'));
    k.noteScope(keys.shared, designScope('f-acme'));
    k.noteScope(keys.shared, designScope('f-globex'));
    for (const key of Object.values(keys)) {
      k.breaker(key);
      k.writeWindow(key);
      k.noteRateLimit(key, {
        resource: 'core',
        limit: 10,
        remaining: 0,
        resetAt: '1970-01-01T00:01:00.000Z',
      });
    }
    return { k, keys };
  }

  it('shows every entry without scopes, and only those serving the given scopes with them', () => {
    const { k, keys } = kit();
    expect(
      k
        .status()
        .circuits.map((c) => c.name)
        .sort(),
    ).toEqual(Object.values(keys).sort());
    const acme = k.status(new Set([repoScope('acme', 'platform'), designScope('f-acme')]));
    expect(acme.circuits.map((c) => c.name).sort()).toEqual([keys.shared, keys.own].sort());
    expect(acme.writePacing.map((w) => w.key).sort()).toEqual([keys.shared, keys.own].sort());
    expect(acme.rateLimits.map((r) => r.key).sort()).toEqual([keys.shared, keys.own].sort());
    const text = JSON.stringify(acme);
    expect(text).not.toContain(keys.other);
    expect(text).not.toContain(keys.unscoped);
    expect(k.status(new Set()).circuits).toEqual([]);
  });
});
