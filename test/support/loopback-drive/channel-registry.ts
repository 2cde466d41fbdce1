import { createHash } from 'node:crypto';

export type ResourceState = 'sync' | 'add' | 'remove' | 'update' | 'trash' | 'untrash' | 'change';

export interface LoopbackChannel {
  id: string;
  kind: 'changes' | 'file';
  resourceId: string;
  resourceUri: string;
  address: string;
  token?: string;
  /** Unix ms. */
  expiration: number;
  fileId?: string;
  pageToken?: string;
  stopped: boolean;
  /** Last X-Goog-Message-Number sent. */
  messageNumber: number;
}

export interface NotificationRecord {
  channelId: string;
  state: ResourceState;
  messageNumber: number;
  headers: Record<string, string>;
  /** HTTP status the address answered, or the delivery error. */
  status?: number;
  error?: string;
}

/** Channels created through the API and the notifications Drive pushes to their addresses. */
export class ChannelRegistry {
  private readonly byId = new Map<string, LoopbackChannel>();
  readonly notifications: NotificationRecord[] = [];
  /** Per channel, the delivery chain: Drive numbers messages in order, so they are sent in order. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly pending = new Set<Promise<unknown>>();

  add(channel: Omit<LoopbackChannel, 'stopped' | 'messageNumber'>): LoopbackChannel {
    const rec: LoopbackChannel = { ...channel, stopped: false, messageNumber: 0 };
    this.byId.set(rec.id, rec);
    return rec;
  }

  get(id: string): LoopbackChannel | undefined {
    return this.byId.get(id);
  }

  all(): LoopbackChannel[] {
    return [...this.byId.values()].map((c) => ({ ...c }));
  }

  /** Channels that would get a notification now (not stopped, not expired). */
  live(nowMs: number): LoopbackChannel[] {
    return [...this.byId.values()].filter((c) => !c.stopped && c.expiration > nowMs);
  }

  /** Whether a (channel id, resource id) pair names an open channel; Drive answers 404 otherwise. */
  stop(id: string, resourceId: string): boolean {
    const c = this.byId.get(id);
    if (!c || c.stopped || c.resourceId !== resourceId) return false;
    c.stopped = true;
    return true;
  }

  /**
   * Sends one notification the way Drive does: a POST with no body and X-Goog-* headers
   * (https://developers.google.com/workspace/drive/api/guides/push#understanding-drive-api-notification-events).
   */
  send(
    channelId: string,
    state: ResourceState,
    opts: { changed?: string[] } = {},
  ): Promise<NotificationRecord> {
    const c = this.byId.get(channelId);
    if (!c) return Promise.reject(new Error(`no channel ${channelId}`));
    c.messageNumber += 1;
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': c.id,
      'X-Goog-Channel-Expiration': new Date(c.expiration).toUTCString(),
      'X-Goog-Resource-ID': c.resourceId,
      'X-Goog-Resource-URI': c.resourceUri,
      'X-Goog-Resource-State': state,
      'X-Goog-Message-Number': String(c.messageNumber),
      ...(c.token === undefined ? {} : { 'X-Goog-Channel-Token': c.token }),
      ...(opts.changed?.length ? { 'X-Goog-Changed': opts.changed.join(',') } : {}),
    };
    const record: NotificationRecord = { channelId, state, messageNumber: c.messageNumber, headers };
    const previous = this.queues.get(channelId) ?? Promise.resolve();
    const delivery = previous.then(async () => {
      try {
        const res = await fetch(c.address, { method: 'POST', headers, signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        record.status = res.status;
      } catch (err) {
        record.error = err instanceof Error ? err.message : String(err);
      }
      this.notifications.push(record);
      return record;
    });
    this.queues.set(channelId, delivery);
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
    return delivery;
  }

  /** Resolves when every notification sent so far was delivered (or failed). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

export const resourceIdFor = (kind: string, key: string) =>
  createHash('sha256').update(`${kind}:${key}`).digest('base64url').slice(0, 27);
