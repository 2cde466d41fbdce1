import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/index.ts';
import type { StateStore, StoredDoc } from '../ports/index.ts';
import { COLLECTIONS } from './collections.ts';
import type { Link } from './link-model.ts';

import { type Page, queryPage } from './paged-query.ts';

export function newLinkId(): string {
  return `lnk_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

/** Links of one tenant; another tenant's link is reported as absent (404), never as forbidden. */
export async function getLink(state: StateStore, tenant: string, id: string): Promise<StoredDoc<Link>> {
  const doc = await state.get<Link>(COLLECTIONS.links, id);
  if (!doc || doc.data.tenant !== tenant) throw new AppError('not_found', `Link ${id} not found`);
  return doc;
}

/** A link regardless of tenant, for the worker (which acts on messages, not on a caller's behalf). */
export async function findLink(state: StateStore, id: string): Promise<StoredDoc<Link> | undefined> {
  return state.get<Link>(COLLECTIONS.links, id);
}

export async function listLinks(
  state: StateStore,
  tenant: string,
  page: { pageSize: number; pageToken?: string | undefined },
): Promise<Page<Link>> {
  const found = await queryPage<Link>(
    state,
    COLLECTIONS.links,
    { where: [['tenant', '==', tenant]], orderBy: { field: 'createdAt' } },
    page,
  );
  return { ...found, items: found.items.map((d) => d.data) };
}

/** Every link whose repository URL is `repo` (a GitHub event names a repository, not a link). */
export async function linksForRepo(state: StateStore, repo: string): Promise<Array<StoredDoc<Link>>> {
  return state.query<Link>(COLLECTIONS.links, { where: [['repo', '==', repo]] });
}

export async function allLinks(state: StateStore): Promise<Array<StoredDoc<Link>>> {
  const out: Array<StoredDoc<Link>> = [];
  let after: string | undefined;
  for (;;) {
    const docs = await state.query<Link>(COLLECTIONS.links, {
      orderBy: { field: 'id' },
      limit: 200,
      // The id is also the ordering value: a link deleted meanwhile does not break the walk.
      ...(after ? { startAfterId: after, startAfterValue: after } : {}),
    });
    out.push(...docs);
    if (docs.length < 200) return out;
    after = docs.at(-1)?.id;
  }
}
