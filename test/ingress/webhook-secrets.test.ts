import { describe, expect, it } from 'vitest';
import { createWebhookSecretsReader, WEBHOOK_SECRET_CACHE_MS } from '../../shared/ingress/webhook-secrets.ts';
import type { SecretStore, SecretValue } from '../../shared/ports/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';

/** Only accessEnabled is read by the cache; everything else fails loudly if touched. */
function secretsStub(read: (name: string) => Promise<SecretValue[]>) {
  let reads = 0;
  const store = new Proxy({} as SecretStore, {
    get: (_t, prop) => {
      if (prop === 'accessEnabled') {
        return (name: string) => {
          reads += 1;
          return read(name);
        };
      }
      throw new Error(`unexpected SecretStore.${String(prop)}`);
    },
  });
  return { store, reads: () => reads };
}

describe('createWebhookSecretsReader', () => {
  it('caches for the TTL, then sees a rotation', async () => {
    let values = [{ version: '1', value: 'old' }];
    const names: string[] = [];
    const stub = secretsStub(async (name) => {
      names.push(name);
      return values;
    });
    let t = 1_000_000;
    const read = createWebhookSecretsReader(stub.store, () => new Date(t));
    expect(await read()).toEqual(['old']);
    values = [
      { version: '2', value: 'new' },
      { version: '1', value: 'old' },
    ];
    t += WEBHOOK_SECRET_CACHE_MS - 1;
    expect(await read()).toEqual(['old']);
    t += 1;
    expect(await read()).toEqual(['new', 'old']);
    expect(stub.reads()).toBe(2);
    expect(new Set(names)).toEqual(new Set([SECRETS.githubWebhook]));
  });

  it('reads again when asked for values younger than the cached ones, else returns the same array', async () => {
    let values = [{ version: '1', value: 'old' }];
    const stub = secretsStub(async () => values);
    let t = 1_000_000;
    const read = createWebhookSecretsReader(stub.store, () => new Date(t));
    const first = await read();
    values = [{ version: '2', value: 'new' }];
    t += 4_999;
    expect(await read({ maxAgeMs: 5_000 })).toBe(first);
    t += 1;
    expect(await read({ maxAgeMs: 5_000 })).toEqual(['new']);
    expect(stub.reads()).toBe(2);
  });

  it('shares one read between concurrent callers and does not cache a failure', async () => {
    let fail = true;
    const stub = secretsStub(async () => {
      if (fail) throw new Error('store down');
      return [{ version: '1', value: 's' }];
    });
    const read = createWebhookSecretsReader(stub.store, () => new Date(0));
    const results = await Promise.allSettled([read(), read(), read()]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(stub.reads()).toBe(1);
    fail = false;
    expect(await read()).toEqual(['s']);
  });

  it('ignores empty values', async () => {
    const stub = secretsStub(async () => [{ version: '1', value: '' }]);
    expect(await createWebhookSecretsReader(stub.store, () => new Date(0))()).toEqual([]);
  });
});
