import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../../../shared/ports/index.ts';
import { type OpenStateStore, useStateStore } from '../support/state-store-harness.ts';

/** A body whose JSON text is exactly `bytes` bytes of UTF-8, padded with `unit` (1 or 2 bytes each). */
function bodyOf(bytes: number, unit: 'x' | 'é' = 'x'): { pad: string } {
  const overhead = Buffer.byteLength(JSON.stringify({ pad: '' }));
  const width = Buffer.byteLength(unit);
  const body = { pad: unit.repeat(Math.floor((bytes - overhead) / width)) };
  if ((bytes - overhead) % width !== 0) body.pad += 'x';
  return body;
}

async function rejection(fn: () => Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await fn();
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error('expected the write to be refused');
}

/** Every store keeps documents up to MAX_DOCUMENT_BYTES of JSON and refuses larger ones the same way. */
export function stateStoreSizeCases(open: OpenStateStore): void {
  const h = useStateStore(open);

  describe('document size', () => {
    it('keeps a document of exactly the limit and returns it whole', async () => {
      const body = bodyOf(MAX_DOCUMENT_BYTES);
      expect(Buffer.byteLength(JSON.stringify(body))).toBe(MAX_DOCUMENT_BYTES);
      await h.store().set(h.collection(), 'at-limit', body);
      expect((await h.store().get(h.collection(), 'at-limit'))?.data).toEqual(body);
    });

    it.each([
      ['set', (c: string, d: { pad: string }) => h.store().set(c, 'big', d)],
      ['create', (c: string, d: { pad: string }) => h.store().create(c, 'big', d)],
      ['update', (c: string, d: { pad: string }) => h.store().update(c, 'big', d)],
    ])('%s of one byte more is payload_too_large, naming the document and the limit', async (_op, write) => {
      const c = h.collection();
      if (_op === 'update') await h.store().set(c, 'big', { small: true });
      const refused = await rejection(() => write(c, bodyOf(MAX_DOCUMENT_BYTES + 1)));
      expect(refused.code).toBe('payload_too_large');
      expect(refused.message).toContain(`${c}/big`);
      expect(refused.message).toContain(String(MAX_DOCUMENT_BYTES));
      const after = await h.store().get(c, 'big');
      expect(after?.data ?? null).toEqual(_op === 'update' ? { small: true } : null);
    });

    it('counts bytes of UTF-8, not characters', async () => {
      const body = bodyOf(MAX_DOCUMENT_BYTES + 1, 'é');
      expect(JSON.stringify(body).length).toBeLessThan(MAX_DOCUMENT_BYTES);
      expect((await rejection(() => h.store().set(h.collection(), 'wide', body))).code).toBe(
        'payload_too_large',
      );
    });

    it('a transaction with one write too large fails whole: none of its writes land', async () => {
      const c = h.collection();
      await h.store().set(c, 'counter', { n: 1 });
      const refused = await rejection(() =>
        h.store().runTransaction(async (tx) => {
          const counter = await tx.get<{ n: number }>(c, 'counter');
          tx.set(c, 'counter', { n: (counter?.data.n ?? 0) + 1 });
          tx.set(c, 'big', bodyOf(MAX_DOCUMENT_BYTES + 1));
        }),
      );
      expect(refused.code).toBe('payload_too_large');
      expect((await h.store().get(c, 'counter'))?.data).toEqual({ n: 1 });
      expect(await h.store().get(c, 'big')).toBeUndefined();
    });
  });
}
