import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLocalBackends, type LocalBackendOptions } from '../../shared/adapters/local/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';
import { DeliveryLog, turns } from '../contract/support/delivery-log.ts';
import { tempDir } from '../contract/support/temp-dir.ts';

const NOW = new Date('2030-01-01T00:00:00.000Z');
const past = new Date(NOW.getTime() - 1_000);
const future = new Date(NOW.getTime() + 60_000);

describe('createLocalBackends', () => {
  let dir: { path: string; remove: () => Promise<void> };
  const options = (overrides: Partial<LocalBackendOptions> = {}): LocalBackendOptions => ({
    file: join(dir.path, 'bridge.sqlite'),
    dataDir: dir.path,
    env: { BRIDGE_ADMIN_TOKEN: 'admin-token' },
    logger: createLogger({ write: () => {} }),
    now: () => NOW,
    retry: { minBackoffMs: 10, maxBackoffMs: 10 },
    ...overrides,
  });

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await dir.remove();
  });

  it('wires the state store, the bus (also the publisher) and the secrets on one data dir', async () => {
    const backends = await createLocalBackends(options());
    try {
      await backends.state.set('links', 'l1', { repo: 'r' });
      expect((await backends.state.get('links', 'l1'))?.createTime).toBe(NOW.toISOString());
      expect(backends.publisher).toBe(backends.bus);

      const log = new DeliveryLog();
      backends.bus.subscribe('sync-requests', async (m) => {
        log.finished(log.started(m), 'acked');
      });
      backends.bus.start();
      const id = await backends.publisher.publish('sync-requests', { linkId: 'l1' }, { orderingKey: 'l1' });
      await log.waitFor('the delivery', (l) => l.acked().length === 1);
      expect(log.deliveries[0]!.message).toMatchObject({ id, publishTime: NOW.toISOString() });

      expect((await backends.secrets.accessLatest(SECRETS.adminToken))?.value).toBe('admin-token');
      await backends.secrets.addVersion(SECRETS.githubToken, 'stored');
      expect((await backends.secrets.accessLatest(SECRETS.githubToken))?.value).toBe('stored');
    } finally {
      await backends.close();
      await backends.close();
    }
  });

  it('purges expired documents of the TTL collections periodically', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const backends = await createLocalBackends(options({ ttlPurgeIntervalMs: 1_000 }));
    try {
      const { state } = backends;
      await state.set('idempotency', 'expired', { n: 1 }, { expireAt: past });
      await state.set('idempotency', 'fresh', { n: 2 }, { expireAt: future });
      await state.set('deliveries', 'expired', { n: 3 }, { expireAt: past });
      await state.set('links', 'expired-but-no-ttl', { n: 4 }, { expireAt: past });

      vi.advanceTimersByTime(1_000);
      await turns();
      expect(await state.get('idempotency', 'expired')).toBeUndefined();
      expect(await state.get('deliveries', 'expired')).toBeUndefined();
      expect(await state.get('idempotency', 'fresh')).toBeDefined();
      expect(await state.get('links', 'expired-but-no-ttl')).toBeDefined();
    } finally {
      await backends.close();
    }
  });

  it('fails at start with config_invalid when the secrets key does not open the secret file', async () => {
    const first = await createLocalBackends(options({ secretsKey: randomBytes(32).toString('base64') }));
    await first.secrets.addVersion(SECRETS.githubToken, 'x');
    await first.close();
    await expect(
      createLocalBackends(options({ secretsKey: randomBytes(32).toString('base64') })),
    ).rejects.toMatchObject({ code: 'config_invalid' });
  });
});
