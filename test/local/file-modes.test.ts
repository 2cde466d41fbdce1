import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalBackends, SqliteStateStore } from '../../shared/adapters/local/index.ts';
import { createContext } from '../../shared/app/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { tempDir } from '../contract/support/temp-dir.ts';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** The data dir holds credentials' hashes, tokens and the secrets key: only its owner may read it. */
describe('files of the data dir are private to their owner', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('a new bridge.sqlite and its -wal and -shm files are 0600, and a data dir the bridge creates is 0700', async () => {
    const dataDir = join(dir.path, 'data');
    const env = {
      BRIDGE_DATA_DIR: dataDir,
      BRIDGE_ADMIN_TOKEN: 'admin-token-0123456789',
      BRIDGE_DEMO: 'false',
    };
    const ctx = await createContext(loadConfig(env), { env, logger: createLogger({ write: () => {} }) });
    try {
      await ctx.state.set('links', 'l1', { repo: 'r' });
      expect(await modeOf(dataDir)).toBe(0o700);
      for (const name of ['bridge.sqlite', 'bridge.sqlite-wal', 'bridge.sqlite-shm', 'secrets.key']) {
        expect({ name, mode: await modeOf(join(dataDir, name)) }).toEqual({ name, mode: 0o600 });
      }
    } finally {
      await ctx.close();
    }
  });

  it('an existing bridge.sqlite (and -wal, -shm) readable by others is tightened to 0600 at open', async () => {
    const file = join(dir.path, 'bridge.sqlite');
    const first = new SqliteStateStore({ file });
    await first.set('links', 'l1', { repo: 'r' });
    const second = new SqliteStateStore({ file });
    try {
      for (const path of [file, `${file}-wal`, `${file}-shm`]) await chmod(path, 0o644);
      await second.close();
      const reopened = new SqliteStateStore({ file });
      try {
        expect((await reopened.get('links', 'l1'))?.data).toEqual({ repo: 'r' });
        for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(await modeOf(path)).toBe(0o600);
      } finally {
        await reopened.close();
      }
    } finally {
      await first.close();
    }
  });

  it('a data dir that already exists keeps its mode (it may be one the operator chose)', async () => {
    const dataDir = join(dir.path, 'shared-dir');
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    await writeFile(join(dataDir, 'other-file'), 'x');
    const backends = await createLocalBackends({
      file: join(dataDir, 'bridge.sqlite'),
      dataDir,
      env: {},
      logger: createLogger({ write: () => {} }),
      now: () => new Date(),
    });
    await backends.close();
    expect(await modeOf(dataDir)).toBe(0o755);
    expect(await modeOf(join(dataDir, 'bridge.sqlite'))).toBe(0o600);
  });
});
