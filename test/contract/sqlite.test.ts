import { join } from 'node:path';
import { SqliteStateStore } from '../../shared/adapters/local/index.ts';
import { describeStateStoreContract } from './state-store.contract.ts';
import { tempDir } from './support/temp-dir.ts';

describeStateStoreContract('SQLite', async () => {
  const dir = await tempDir();
  const store = new SqliteStateStore({ file: join(dir.path, 'state.sqlite') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await dir.remove();
    },
  };
});
