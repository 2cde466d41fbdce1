import { createHash } from 'node:crypto';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalFileDesignProvider } from '../../../shared/providers/index.ts';
import { tempDir } from '../../support/local-git.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function designJson(components: string[]): string {
  return `${JSON.stringify({ source: 'ai-studio', export_format: 'v1', components: components.map((id) => ({ id })) }, null, 2)}\n`;
}

async function designFixture(content: string | null = designJson(['orders'])) {
  const { dir, cleanup } = await tempDir('bridge-design-');
  cleanups.push(cleanup);
  const path = join(dir, 'design.json');
  if (content !== null) await writeFile(path, content);
  return { dir, path, provider: createLocalFileDesignProvider({ path, lock: { timeoutMs: 300 } }) };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('LocalFileDesignProvider', () => {
  it('reads content, a content-hash revision and the modification time', async () => {
    const { path, provider } = await designFixture(designJson(['orders', 'billing']));
    const when = new Date('2026-01-02T03:04:05.000Z');
    await utimes(path, when, when);

    const snapshot = await provider.read();

    expect(snapshot).toEqual({
      content: designJson(['orders', 'billing']),
      revision: sha256(designJson(['orders', 'billing'])),
      modifiedTime: when.toISOString(),
    });
    expect(provider.callCount()).toBe(1);
  });

  it('writes at the current revision and returns the new one', async () => {
    const { path, provider, dir } = await designFixture();
    const { revision } = await provider.read();

    const next = await provider.write(designJson(['orders', 'new']), revision);

    expect(next).toBe(sha256(designJson(['orders', 'new'])));
    expect(await readFile(path, 'utf8')).toBe(designJson(['orders', 'new']));
    expect((await provider.read()).revision).toBe(next);
    expect(await readdir(dir)).toEqual(['design.json']); // no lock or temp file left behind
    expect(provider.callCount()).toBe(3);
  });

  it('keeps the file’s permission bits across the atomic replace', async () => {
    const { path, provider } = await designFixture();
    const { chmod } = await import('node:fs/promises');
    await chmod(path, 0o640);
    await provider.write('{}', (await provider.read()).revision);
    expect((await stat(path)).mode & 0o777).toBe(0o640);
  });

  it('fails with design_changed (not the state store’s precondition_failed) when the file changed since it was read', async () => {
    const { path, provider } = await designFixture();
    const { revision } = await provider.read();
    await writeFile(path, designJson(['edited-by-person']));

    await expect(provider.write(designJson(['bridge']), revision)).rejects.toMatchObject({
      code: 'design_changed',
      details: { currentRevision: sha256(designJson(['edited-by-person'])) },
    });
    expect(await readFile(path, 'utf8')).toBe(designJson(['edited-by-person']));
  });

  it('lets exactly one of two concurrent writers with the same revision win', async () => {
    const { path, provider } = await designFixture();
    const other = createLocalFileDesignProvider({ path });
    const { revision } = await provider.read();

    const results = await Promise.allSettled([
      provider.write(designJson(['first']), revision),
      other.write(designJson(['second']), revision),
    ]);

    const won = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<string>[];
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toMatchObject({ code: 'design_changed' });
    expect(sha256(await readFile(path, 'utf8'))).toBe(won[0]?.value);
  });

  it('refuses bytes that are not UTF-8 instead of replacing them with U+FFFD', async () => {
    const text = designJson(['orders']);
    const at = text.indexOf('orders');
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(text.slice(at)),
    ]);
    const { path, provider } = await designFixture();
    await writeFile(path, bytes);
    const refused = await provider.read().catch((err: unknown) => err);
    expect(refused).toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/not valid UTF-8/),
    });
    expect((refused as Error).message).not.toContain(path);
    expect(await readFile(path)).toEqual(bytes);
  });

  it('reads multi-byte UTF-8 as it is, a leading byte-order mark included', async () => {
    const text = `\ufeff${designJson(['zürich-✓'])}`;
    const { provider } = await designFixture(text);
    expect((await provider.read()).content).toBe(text);
  });

  it('reads a missing file as not_found naming the path', async () => {
    const { path, provider } = await designFixture(null);
    await expect(provider.read()).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining(path),
    });
    await expect(provider.write('{}', 'x')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reports a lock held by a live writer as busy, without touching the file', async () => {
    const { path, provider } = await designFixture();
    const { revision } = await provider.read();
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid: process.pid, host: hostname(), createdAt: new Date().toISOString() }),
    );

    await expect(provider.write('{}', revision)).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/locked by another writer \(pid \d+/),
    });
    expect(await readFile(path, 'utf8')).toBe(designJson(['orders']));
    expect(await readFile(`${path}.lock`, 'utf8')).toContain(String(process.pid)); // not ours to remove
  });

  it('reports a stale lock with what to do about it', async () => {
    const { path, provider } = await designFixture();
    const { revision } = await provider.read();
    // A pid far above pid_max belongs to no running process.
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid: 2 ** 30, host: hostname(), createdAt: '2026-01-01T00:00:00Z' }),
    );

    await expect(provider.write('{}', revision)).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/stale lock .*design\.json\.lock.*no longer running.*remove it/),
    });
  });

  it('treats any byte change, even whitespace, as a new revision', async () => {
    const { path, provider } = await designFixture('{"a":1}');
    const { revision } = await provider.read();
    await writeFile(path, '{"a":1}\n');
    expect((await provider.read()).revision).not.toBe(revision);
  });

  it('requires an absolute path', () => {
    expect(() => createLocalFileDesignProvider({ path: 'design.json' })).toThrow(/absolute/);
  });
});
