import type { Json, Query, StateStore, StoredDoc } from '../ports/index.ts';

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

interface Cursor {
  /** Id of the last item shown. */
  i: string;
  /** Its value of the ordering field (absent when the list is ordered by id). */
  v?: Json;
}

/**
 * A page token: the last item's id and its value of the ordering field, base64url JSON. Carrying the
 * value means the next page does not need that item to still exist (it may be deleted in between).
 */
export function encodePageToken(id: string, value?: Json): string {
  const cursor: Cursor = value === undefined ? { i: id } : { i: id, v: value };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The query cursor a page token stands for; a token that is not one of ours is taken as a bare id. */
export function pageCursor(token: string | undefined): Pick<Query, 'startAfterId' | 'startAfterValue'> {
  if (!token) return {};
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (cursor && typeof cursor === 'object' && typeof cursor.i === 'string') {
      return 'v' in cursor && cursor.v !== undefined
        ? { startAfterId: cursor.i, startAfterValue: cursor.v }
        : { startAfterId: cursor.i };
    }
  } catch {
    // not base64url JSON: fall through
  }
  return { startAfterId: token };
}

/**
 * One page of `query` ordered by `orderBy` (ties on id), and the token of the next page when there is
 * one. Reads one document more than the page to know.
 */
export async function queryPage<T>(
  state: StateStore,
  collection: string,
  query: Pick<Query, 'where'> & { orderBy: NonNullable<Query['orderBy']> },
  page: { pageSize: number; pageToken?: string | undefined },
): Promise<Page<StoredDoc<T>>> {
  const docs = await state.query<T>(collection, {
    ...query,
    limit: page.pageSize + 1,
    ...pageCursor(page.pageToken),
  });
  const items = docs.slice(0, page.pageSize);
  const last = items.at(-1);
  if (docs.length <= page.pageSize || !last) return { items };
  const value = (last.data as Record<string, unknown>)[query.orderBy.field] as Json | undefined;
  return { items, nextPageToken: encodePageToken(last.id, value ?? null) };
}
