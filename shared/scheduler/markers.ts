import type { AppContext } from '../context/index.ts';
import { COLLECTIONS, docId, docIdPart } from '../records/index.ts';

/** Besides the usual ones, `@` and `:` (times, `removed@<time>`) stay as they are in marker ids. */
const MARKER_SAFE = /[A-Za-z0-9_.@:-]/;

/** Marker ids are document ids: anything unusual is encoded (see docIdPart), so ids never collide. */
export function markerId(...parts: string[]): string {
  return docId(...parts.map((p) => docIdPart(p, MARKER_SAFE)));
}

/** Create-if-absent in COLLECTIONS.idempotency with a TTL; true when this caller created it. */
export function claimMarker(
  ctx: Pick<AppContext, 'state' | 'now'>,
  id: string,
  data: Record<string, unknown>,
  ttlMs: number,
): Promise<boolean> {
  const now = ctx.now();
  return ctx.state.create(
    COLLECTIONS.idempotency,
    id,
    { ...data, at: now.toISOString() },
    { expireAt: new Date(now.getTime() + ttlMs) },
  );
}

export function releaseMarker(ctx: Pick<AppContext, 'state'>, id: string): Promise<boolean> {
  return ctx.state.delete(COLLECTIONS.idempotency, id);
}
