import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcpBackends } from '../../shared/adapters/gcp/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { type FakePublisher, startFakePublisher } from './support/pubsub-loopback.ts';
import { type FakeSecretManager, startFakeSecretManager } from './support/secret-manager-loopback.ts';
import { startTestFirestore, type TestFirestore } from './support/test-firestore.ts';

/*
 * The wiring as Cloud Run runs it, pointed at loopback servers the way developers point it at emulators:
 * FIRESTORE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST are read by the clients themselves.
 * METADATA_SERVER_DETECTION=none stops the auth library probing the GCE metadata server (network).
 */
const ENV = ['FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST', 'METADATA_SERVER_DETECTION'] as const;
let saved: Record<string, string | undefined>;
let firestore: TestFirestore;
let pubsub: FakePublisher;
let secretManager: FakeSecretManager;

beforeAll(async () => {
  [firestore, pubsub, secretManager] = await Promise.all([
    startTestFirestore(),
    startFakePublisher(),
    startFakeSecretManager(),
  ]);
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
  process.env.PUBSUB_EMULATOR_HOST = pubsub.endpoint;
  process.env.METADATA_SERVER_DETECTION = 'none';
});
afterAll(async () => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await Promise.all([firestore.stop(), pubsub.stop(), secretManager.stop()]);
});

const config = (env: Record<string, string> = {}) =>
  loadConfig({
    BRIDGE_BACKEND: 'gcp',
    GOOGLE_CLOUD_PROJECT: 'demo-bridge',
    BRIDGE_TOPIC_PREFIX: 'stg-',
    ...env,
  });

describe('createGcpBackends', () => {
  it('wires Firestore and Pub/Sub from the configuration, and close() flushes and shuts down', async () => {
    const backends = await createGcpBackends(config(), createLogger({ write: () => {} }));
    const version = await backends.state.set('links', 'l-1', { repo: 'o/r' });
    expect(await backends.state.get('links', 'l-1')).toMatchObject({ data: { repo: 'o/r' }, version });

    const published = backends.publisher.publish('sync-requests', { linkId: 'l-1' }, { orderingKey: 'l-1' });
    await backends.close();
    expect(await published).toBe('1');
    expect(pubsub.requests.at(-1)?.topic).toBe('projects/demo-bridge/topics/stg-sync-requests');
    await expect(backends.state.get('links', 'l-1')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('reads secrets from the Secret Manager stand-in at SECRET_MANAGER_EMULATOR_HOST (no TLS, no credentials)', async () => {
    // Secret Manager has no emulator; without this setting the client dials Google with ADC, which
    // fails here (no credentials, no metadata server).
    const backends = await createGcpBackends(
      config({ SECRET_MANAGER_EMULATOR_HOST: secretManager.endpoint }),
      createLogger({ write: () => {} }),
    );
    try {
      expect(await backends.secrets.addVersion('stand-in-secret', 'value-1')).toBe('1');
      expect(await backends.secrets.accessLatest('stand-in-secret')).toEqual({
        version: '1',
        value: 'value-1',
      });
      expect(secretManager.calls).toContain('AccessSecretVersion');
    } finally {
      await backends.close();
    }
  });

  it('needs a project', async () => {
    const cfg = { ...config(), GOOGLE_CLOUD_PROJECT: undefined };
    await expect(createGcpBackends(cfg, createLogger({ write: () => {} }))).rejects.toMatchObject({
      code: 'config_invalid',
    });
  });
});
