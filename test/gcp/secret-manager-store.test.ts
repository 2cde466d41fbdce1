import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SecretManagerStore } from '../../shared/adapters/gcp/secret-manager-store.ts';
import { describeSecretStoreContract } from '../contract/secret-store.contract.ts';
import { type FakeSecretManager, startFakeSecretManager } from './support/secret-manager-loopback.ts';

let server: FakeSecretManager;
beforeAll(async () => {
  server = await startFakeSecretManager();
});
afterAll(async () => {
  await server.stop();
});

describeSecretStoreContract('Secret Manager (loopback SecretManagerService)', async () => {
  const store = new SecretManagerStore({ client: server.client(), projectId: 'demo-bridge' });
  return { store, cleanup: () => store.close() };
});

describe('SecretManagerStore: a secret the account may not read is not a missing one', () => {
  let store: SecretManagerStore;
  beforeEach(() => {
    store = new SecretManagerStore({ client: server.client(), projectId: 'demo-bridge' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers undefined for a secret that does not exist (NOT_FOUND)', async () => {
    expect(await store.accessLatest('never-created-secret')).toBeUndefined();
    expect(await store.accessEnabled('never-created-secret')).toEqual([]);
  });

  it.each([
    ['accessLatest', (s: SecretManagerStore) => s.accessLatest('denied-secret')],
    ['accessEnabled', (s: SecretManagerStore) => s.accessEnabled('denied-secret')],
    ['access', (s: SecretManagerStore) => s.access('denied-secret', '1')],
  ])(
    '%s of a denied secret (PERMISSION_DENIED) fails saying so, naming the secret and the fix',
    async (_m, read) => {
      await store.addVersion('denied-secret', 'value-nobody-may-read');
      server.denied.add('denied-secret');
      try {
        const err = await read(store).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toMatchObject({
          code: 'config_invalid',
          message: expect.stringMatching(/may not read secret denied-secret.*secretAccessor/),
        });
        expect(String((err as Error).message)).not.toContain('value-nobody-may-read');
      } finally {
        server.denied.delete('denied-secret');
      }
    },
  );
});

describe('SecretManagerStore cache', () => {
  let clock = 0;
  let store: SecretManagerStore;
  const name = () => `cache-${expect.getState().currentTestName?.replace(/\W+/g, '-').slice(-40)}`;
  beforeEach(() => {
    clock = 1_000_000;
    store = new SecretManagerStore({
      client: server.client(),
      projectId: 'demo-bridge',
      cacheTtlMs: 30_000,
      now: () => clock,
    });
  });
  afterEach(async () => {
    await store.close();
  });

  /** A rotation done elsewhere (another instance, or Secret Manager's console). */
  const rotateElsewhere = async (secret: string, value: string) => {
    const other = new SecretManagerStore({ client: server.client(), projectId: 'demo-bridge' });
    await other.addVersion(secret, value);
    await other.close();
  };

  it('reads latest once per TTL, then sees a rotation done elsewhere', async () => {
    const secret = name();
    await store.addVersion(secret, 'v1');
    expect((await store.accessLatest(secret))?.value).toBe('v1');
    const reads = server.calls.filter((c) => c === 'AccessSecretVersion').length;
    await rotateElsewhere(secret, 'v2');

    clock += 29_000;
    expect((await store.accessLatest(secret))?.value).toBe('v1');
    expect(server.calls.filter((c) => c === 'AccessSecretVersion')).toHaveLength(reads);

    clock += 2_000;
    expect(await store.accessLatest(secret)).toEqual({ version: '2', value: 'v2' });
  });

  it('caches accessEnabled the same way', async () => {
    const secret = name();
    await store.addVersion(secret, 'v1');
    expect((await store.accessEnabled(secret)).map((v) => v.value)).toEqual(['v1']);
    await rotateElsewhere(secret, 'v2');
    expect((await store.accessEnabled(secret)).map((v) => v.value)).toEqual(['v1']);
    clock += 30_001;
    expect((await store.accessEnabled(secret)).map((v) => v.value)).toEqual(['v2', 'v1']);
  });

  it('reads around its cache when asked for fresh values, and keeps those for the others', async () => {
    const secret = name();
    await store.addVersion(secret, 'v1');
    expect((await store.accessEnabled(secret)).map((v) => v.value)).toEqual(['v1']);
    await rotateElsewhere(secret, 'v2');
    clock += 1_000;
    expect((await store.accessEnabled(secret)).map((v) => v.value)).toEqual(['v1']);
    expect((await store.accessEnabled(secret, { fresh: true })).map((v) => v.value)).toEqual(['v2', 'v1']);
    expect((await store.accessEnabled(secret)).map((v) => v.value)).toEqual(['v2', 'v1']);
  });

  it('forgets its cache at once on its own addVersion and disableVersion', async () => {
    const secret = name();
    await store.addVersion(secret, 'v1');
    expect((await store.accessLatest(secret))?.value).toBe('v1');
    expect((await store.accessEnabled(secret)).map((v) => v.value)).toEqual(['v1']);
    await store.addVersion(secret, 'v2');
    expect((await store.accessLatest(secret))?.value).toBe('v2');
    expect((await store.accessEnabled(secret)).map((v) => v.value)).toEqual(['v2', 'v1']);
    await store.disableVersion(secret, '2');
    expect((await store.accessLatest(secret))?.value).toBe('v1');
    expect((await store.accessEnabled(secret)).map((v) => v.value)).toEqual(['v1']);
  });

  it('creates the secret on the first addVersion, with automatic replication', async () => {
    const secret = name();
    expect(await store.addVersion(secret, 'first')).toBe('1');
    expect(server.secrets.get(secret)?.map((v) => v.data.toString())).toEqual(['first']);
    const created = server.calls.lastIndexOf('CreateSecret');
    expect(created).toBeGreaterThan(-1);
    expect(await store.addVersion(secret, 'second')).toBe('2');
    expect(server.calls.lastIndexOf('CreateSecret')).toBe(created);
  });

  it('rejects names Secret Manager would not accept, without calling it', async () => {
    const before = server.calls.length;
    await expect(store.addVersion('../other', 'x')).rejects.toMatchObject({ code: 'bad_request' });
    await expect(store.access('ok-name', '1/../2')).rejects.toMatchObject({ code: 'bad_request' });
    expect(server.calls).toHaveLength(before);
  });
});
