import type { AppContext } from '../app/index.ts';
import { COLLECTIONS } from '../links/index.ts';

/** Marker ids are document ids: Firestore forbids `/`, so anything unusual becomes `_`. */
export function markerId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9_.@:-]/g, '_').slice(0, 200)).join('~');
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
