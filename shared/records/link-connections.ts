import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS } from './collections.ts';
import type { Link, LinkDriveChannel, LinkWebhook } from './link-model.ts';

type Connections = { webhook?: LinkWebhook; driveChannel?: LinkDriveChannel };

const same = (a: { state: string; message: string } | undefined, b: { state: string; message: string }) =>
  a?.state === b.state && a.message === b.message;

/**
 * Records the state of a link's webhook and/or Drive channel. Written only when the state or its
 * message changed: every link write moves the link's version, which makes a sync recording its
 * result at that moment start over.
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
