import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS } from './collections.ts';
import type { Link, LinkDriveChannel, LinkWebhook } from './link-model.ts';

type Connections = { webhook?: LinkWebhook; driveChannel?: LinkDriveChannel };

type Comparable = { state: string; message: string; secret?: string; secretVersion?: string };

const same = (a: Comparable | undefined, b: Comparable) =>
  a?.state === b.state &&
  a.message === b.message &&
  a.secret === b.secret &&
  a.secretVersion === b.secretVersion;

/**
 * Records the state of a link's webhook and/or Drive channel. Written only when the state, its
 * message or which secret the hook signs with changed: every link write moves the link's version,
 * which makes a sync recording its result at that moment start over.
 */
export async function recordConnections(
  state: StateStore,
  linkId: string,
  found: Connections,
): Promise<void> {
  await state.runTransaction(async (tx) => {
    const doc = await tx.get<Link>(COLLECTIONS.links, linkId);
    if (!doc) return;
    const next = { ...doc.data };
    let changed = false;
    if (found.webhook && !same(doc.data.webhook, found.webhook)) {
      next.webhook = found.webhook;
      changed = true;
    }
    if (found.driveChannel && !same(doc.data.driveChannel, found.driveChannel)) {
      next.driveChannel = found.driveChannel;
      changed = true;
    }
    if (changed)
      tx.update(COLLECTIONS.links, linkId, JSON.parse(JSON.stringify(next)), { ifVersion: doc.version });
  });
}
