import { join } from 'node:path';
import {
  EnvSecretStore,
  FileSecretStore,
  LayeredSecretStore,
  SqliteEventBus,
  SqliteStateStore,
} from '../../shared/adapters/local/index.ts';
import { describeEventBusContract } from './event-bus.contract.ts';
import { describeSecretStoreContract } from './secret-store.contract.ts';
import { describeStateStoreContract } from './state-store.contract.ts';
import { tempDir } from './support/temp-dir.ts';

describeStateStoreContract(
  'SQLite',
  async () => {
    const dir = await tempDir();
    const store = new SqliteStateStore({ file: join(dir.path, 'state.sqlite') });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dir.remove();
      },
    };
  },
  { concurrency: 'optimistic' },
);

describeEventBusContract('SQLite', async ({ retry, leaseMs }) => {
  const dir = await tempDir();
  const file = join(dir.path, 'bus.sqlite');
  const buses: SqliteEventBus[] = [];
  const open = () => {
    const bus = new SqliteEventBus({ file, retry, leaseMs });
    buses.push(bus);
    return bus;
  };
  return {
    bus: open(),
    reopen: async () => open(),
    cleanup: async () => {
      for (const bus of buses) await bus.close();
      await dir.remove();
    },
  };
});

describeSecretStoreContract('encrypted file', async () => {
  const dir = await tempDir();
  return { store: await FileSecretStore.open({ dataDir: dir.path }), cleanup: dir.remove };
});

describeSecretStoreContract('environment over encrypted file', async () => {
  const dir = await tempDir();
  const env = { GITHUB_WEBHOOK_SECRET: 'current,previous', BRIDGE_ADMIN_TOKEN: 'admin-token' };
  const file = await FileSecretStore.open({ dataDir: dir.path });
  return { store: new LayeredSecretStore(new EnvSecretStore(env), file), cleanup: dir.remove };
});
