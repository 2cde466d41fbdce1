import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors/index.ts';
import type { Logger } from '../../logging/index.ts';
import { type ChannelKind, capChannelExpiration } from './channel-lifetime.ts';
import { createDriveApi, type DriveAuth } from './drive-api.ts';

export type { ChangePage } from './process-change-pages.ts';

import type { ChangePage, DriveChange } from './process-change-pages.ts';

export interface DriveWatchClientOptions {
  rootUrl?: string | undefined;
  auth: DriveAuth;
  logger?: Logger | undefined;
  retry?: boolean;
  /** See DriveApiOptions.fetch. */
  fetch?: typeof fetch | undefined;
  /** Clock for capping requested expirations; default Date.now. */
  now?: () => number;
}

export interface WatchRequest {
  /** Our channel id (unique per channel; default a random UUID). */
  channelId?: string;
  /** Secret Drive echoes in X-Goog-Channel-Token (at most 256 characters). */
  token: string;
  /** HTTPS URL notifications are POSTed to (Drive rejects http:// addresses; the loopback does not). */
  address: string;
  /** Requested expiry as an absolute Unix time in ms; capped to Drive's maximum for the kind. */
  expirationMs?: number;
}

export interface WatchedChannel {
  kind: ChannelKind;
  id: string;
  /** Drive's id of the watched resource; needed to stop the channel. */
  resourceId: string;
  resourceUri?: string;
  /** The expiry Drive granted (Unix ms), which may be earlier than the one requested. */
  expirationMs: number;
  /** Same instant as ISO 8601 (the form channel documents store). */
  expiresAt: string;
  /** Changes channels: the page token the feed was watched from. */
  pageToken?: string;
  /** File channels: the watched file. */
  fileId?: string;
}

export interface DriveWatchClient {
  getStartPageToken(): Promise<string>;
  /** One page of the changes feed from `pageToken`. */
  listChanges(pageToken: string, options?: { pageSize?: number }): Promise<ChangePage>;
  watchChanges(request: WatchRequest & { pageToken: string }): Promise<WatchedChannel>;
  watchFile(fileId: string, request: WatchRequest): Promise<WatchedChannel>;
  /** Stops a channel; a channel Drive no longer knows counts as stopped. */
  stopChannel(channel: { id: string; resourceId: string }): Promise<void>;
  callCount(): number;
}

const CHANGE_FIELDS =
  'changes(fileId,removed,time,file(id,name,version,modifiedTime,trashed)),nextPageToken,newStartPageToken';

type RawChannel = {
  id?: string | null;
  resourceId?: string | null;
  resourceUri?: string | null;
  expiration?: string | null;
};

function toWatched(kind: ChannelKind, raw: RawChannel, extra: Partial<WatchedChannel>): WatchedChannel {
  const expirationMs = Number(raw.expiration);
  if (!raw.id || !raw.resourceId || !Number.isFinite(expirationMs)) {
    throw new AppError('upstream_failed', 'Drive returned a channel without id, resourceId or expiration');
  }
  return {
    kind,
    id: raw.id,
    resourceId: raw.resourceId,
    ...(raw.resourceUri ? { resourceUri: raw.resourceUri } : {}),
    expirationMs,
    expiresAt: new Date(expirationMs).toISOString(),
    ...extra,
  };
}

type RawChange = {
  fileId?: string | null;
  removed?: boolean | null;
  time?: string | null;
  file?: {
    id?: string | null;
    name?: string | null;
    version?: string | null;
    modifiedTime?: string | null;
    trashed?: boolean | null;
  } | null;
};

function toChange(raw: RawChange): DriveChange {
  const f = raw.file;
  return {
    fileId: raw.fileId ?? f?.id ?? '',
    removed: raw.removed === true,
    time: raw.time ?? '',
    ...(f
      ? {
          file: {
            id: f.id ?? raw.fileId ?? '',
            name: f.name ?? '',
            version: f.version ?? '',
            modifiedTime: f.modifiedTime ?? '',
            trashed: f.trashed === true,
          },
        }
      : {}),
  };
}

/** Drive's changes feed and push channels (used by the drive-notifications ingress and the scheduler). */
export function createDriveWatchClient(options: DriveWatchClientOptions): DriveWatchClient {
  const now = options.now ?? Date.now;
  const api = createDriveApi({
    auth: options.auth,
    rootUrl: options.rootUrl,
    logger: options.logger?.child({ component: 'drive-watch' }),
    fetch: options.fetch,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });

  const channelBody = (kind: ChannelKind, req: WatchRequest) => {
    if (req.expirationMs !== undefined && req.expirationMs <= now()) {
      throw new AppError(
        'bad_request',
        'expirationMs is an absolute Unix time in ms and must be in the future',
      );
    }
    return {
      id: req.channelId ?? randomUUID(),
      type: 'web_hook',
      address: req.address,
      token: req.token,
      ...(req.expirationMs === undefined
        ? {}
        : { expiration: String(capChannelExpiration(kind, req.expirationMs, now())) }),
    };
  };

  return {
    getStartPageToken: () =>
      api.call('get start page token', async ({ v3, options: o }) => {
        const res = await v3.changes.getStartPageToken({ supportsAllDrives: true }, o());
        if (!res.data.startPageToken)
          throw new AppError('upstream_failed', 'Drive returned no start page token');
        return res.data.startPageToken;
      }),

    listChanges: (pageToken, opts = {}) =>
      api.call('list changes', async ({ v3, options: o }) => {
        const res = await v3.changes.list(
          {
            pageToken,
            pageSize: opts.pageSize ?? 100,
            fields: CHANGE_FIELDS,
            includeRemoved: true,
            supportsAllDrives: true,
            includeItemsFromAllDrives: true,
          },
          o(),
        );
        const d = res.data;
        return {
          changes: (d.changes ?? []).map(toChange),
          ...(d.nextPageToken ? { nextPageToken: d.nextPageToken } : {}),
          ...(d.newStartPageToken ? { newStartPageToken: d.newStartPageToken } : {}),
        };
      }),

    watchChanges: (req) =>
      api.call('watch changes', async ({ v3, options: o }) => {
        const requestBody = channelBody('changes', req);
        const res = await v3.changes.watch(
          { pageToken: req.pageToken, supportsAllDrives: true, includeItemsFromAllDrives: true, requestBody },
          o(),
        );
        return toWatched('changes', res.data, { pageToken: req.pageToken });
      }),

    watchFile: (fileId, req) =>
      api.call('watch file', async ({ v3, options: o }) => {
        const requestBody = channelBody('file', req);
        const res = await v3.files.watch({ fileId, supportsAllDrives: true, requestBody }, o());
        return toWatched('file', res.data, { fileId });
      }),

    stopChannel: async (channel) => {
      try {
        await api.call('stop channel', async ({ v3, options: o }) => {
          await v3.channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId } }, o());
        });
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return;
        throw err;
      }
    },

    callCount: () => api.callCount(),
  };
}
