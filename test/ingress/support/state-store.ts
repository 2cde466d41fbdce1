import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStateStore } from '../../../shared/adapters/local/index.ts';

/** The embedded SQLite state store on a temp file, with a clock the test moves. */
export function tempStateStore(start = new Date('2025-01-01T00:00:00Z')) {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-ingress-state-'));
  let t = start.getTime();
  const now = () => new Date(t);
  const state = new SqliteStateStore({ file: join(dir, 'state.sqlite'), now });
  return {
    state,
    now,
    advance(ms: number) {
      t += ms;
    },
    async close() {
      await state.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
