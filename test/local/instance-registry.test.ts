import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InstanceRegistry } from '../../shared/adapters/local/instance-registry.ts';
import { tempDir } from '../contract/support/temp-dir.ts';

describe('InstanceRegistry (which bus instances of a data dir still run)', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let instances: string;
  const opened: InstanceRegistry[] = [];
  const registry = () => {
    const r = new InstanceRegistry(instances);
    opened.push(r);
    return r;
  };

  beforeEach(async () => {
    dir = await tempDir();
    instances = join(dir.path, 'bridge.sqlite.instances');
  });
  afterEach(async () => {
    for (const r of opened.splice(0)) r.release();
    await dir.remove();
  });

  it('an instance is alive while it holds its lock, also as seen from another connection in this process', () => {
    const a = registry();
    a.register('instance-a');
    expect(registry().state('instance-a')).toBe('alive');
    expect(a.state('instance-a')).toBe('alive');
    a.release();
    expect(registry().state('instance-a')).toBe('unknown'); // file removed with the lock
  });

  it('an instance released with its file kept is known to be gone', () => {
    const a = registry();
    a.register('instance-a');
    a.release({ keepFile: true });
    expect(registry().state('instance-a')).toBe('dead');
    // Probing it took and dropped the lock: still gone, not turned alive.
    expect(registry().state('instance-a')).toBe('dead');
  });

  it.each([['never-registered'], ['../escape'], ['a/b'], ['']])('%j is unknown', (id) => {
    registry().register('someone-else');
    expect(registry().state(id)).toBe('unknown');
  });

  it('sweep removes the files of gone instances once they are old, and never a live one', () => {
    const gone = registry();
    gone.register('gone-1');
    gone.release({ keepFile: true });
    const alive = registry();
    alive.register('alive-1');
    const me = registry();
    me.register('me-1');

    me.sweep(Date.now()); // too young: a new instance may not have taken its lock yet
    expect(readdirSync(instances).sort()).toEqual(['alive-1.lock', 'gone-1.lock', 'me-1.lock']);
    me.sweep(Date.now() + 120_000);
    expect(readdirSync(instances).sort()).toEqual(['alive-1.lock', 'me-1.lock']);
    expect(existsSync(join(instances, 'alive-1.lock'))).toBe(true);
    expect(registry().state('alive-1')).toBe('alive');
  });

  it('register is idempotent and the directory is private to the user', () => {
    const a = registry();
    a.register('instance-a');
    a.register('instance-a');
    expect(statSync(instances).mode & 0o077).toBe(0);
  });
});
