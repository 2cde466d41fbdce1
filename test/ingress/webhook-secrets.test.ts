import { describe, expect, it } from 'vitest';
import {
  createWebhookSecretsReader,
  WEBHOOK_SECRET_CACHE_MS,
  WEBHOOK_SECRET_RECHECK_MS,
} from '../../shared/ingress/webhook-secrets.ts';
import type { SecretStore, SecretValue } from '../../shared/ports/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';

/** Only accessEnabled is read by the cache; everything else fails loudly if touched. */
function secretsStub(read: (name: string, options?: { fresh?: boolean }) => Promise<SecretValue[]>) {
  let reads = 0;
  const store = new Proxy({} as SecretStore, {
    get: (_t, prop) => {
      if (prop === 'accessEnabled') {
        return (name: string, options?: { fresh?: boolean }) => {
          reads += 1;
          return read(name, options);
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

  it('re-checks around the store’s cache at once after a mismatch, then at most once per window', async () => {
    let values = [{ version: '1', value: 'old' }];
    const fresh: boolean[] = [];
    const stub = secretsStub(async (_name, options) => {
      fresh.push(options?.fresh === true);
      return values;
    });
    let t = 1_000_000;
    const read = createWebhookSecretsReader(stub.store, () => new Date(t));
    await read();
    values = [{ version: '2', value: 'new' }];
    t += 1;
    expect(await read.recheck()).toEqual(['new']);
    values = [{ version: '3', value: 'newer' }];
    t += WEBHOOK_SECRET_RECHECK_MS - 1;
    const within = await Promise.all([read.recheck(), read.recheck(), read()]);
    expect(within).toEqual([['new'], ['new'], ['new']]);
    t += 1;
    expect(await read.recheck()).toEqual(['newer']);
    expect(fresh).toEqual([false, true, true]);
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
