import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChannelRegistry,
  type LoopbackChannel,
  type NotificationRecord,
  type ResourceState,
} from './channel-registry.ts';
import { DriveState, type FileSeed, type LoopbackFile } from './drive-state.ts';
import { type FaultHandle, type FaultSpec, FaultTable } from './faults.ts';
import { handleApiRequest } from './handle-request.ts';
import { DEFAULT_REASONS, GoogleApiError, readBody, sendError } from './http-io.ts';
import type { FileEvent, LoopbackContext } from './route-types.ts';

export interface LoopbackDriveOptions {
  files?: Record<string, FileSeed>;
  /** When set, requests must carry `Authorization: Bearer <accessToken>`; otherwise any bearer passes. */
  accessToken?: string;
  /** Push notifications to live channels when a file changes (as Drive does); default true. */
  autoNotify?: boolean;
  /** Clock (Unix ms) for modified times and channel expirations; default Date.now. */
  now?: () => number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  status?: number;
}

export interface LoopbackDrive {
  /** API root to give the client (DRIVE_API_ROOT_URL), e.g. http://127.0.0.1:41234. */
  url: string;
  close(): Promise<void>;
  /** A copy of a file's current state. */
  file(id: string): LoopbackFile | undefined;
  addFile(id: string, seed: FileSeed): LoopbackFile;
  /**
   * Simulates a user's edit: new content (text, or bytes that need not be UTF-8), new version and
   * etag, a change in the feed, notifications.
   */
  setContent(id: string, content: string | Buffer): LoopbackFile;
  trash(id: string): LoopbackFile;
  /** Simulates a user moving the file to other folders (a properties change). */
  moveFile(id: string, parents: string[]): LoopbackFile;
  removeFile(id: string): void;
  /** The changes feed's current start page token. */
  startPageToken(): string;
  /** Sends one notification to a channel's address (message number increases per channel). */
  notify(channelId: string, state: ResourceState, opts?: { changed?: string[] }): Promise<NotificationRecord>;
  channels(): LoopbackChannel[];
  /** Notifications delivered (or failed), in delivery order. */
  notifications: NotificationRecord[];
  /** Resolves once every notification sent so far was delivered. */
  idle(): Promise<void>;
  requests: LoggedRequest[];
  /** Responses that broke the discovery schema (each also answered 500). Should stay empty. */
  schemaErrors: string[];
  injectFault(spec: FaultSpec): FaultHandle;
}

const FILE_STATES: Record<FileEvent, ResourceState> = {
  content: 'update',
  properties: 'update',
  trash: 'trash',
  untrash: 'untrash',
  remove: 'remove',
};

export async function startLoopbackDrive(options: LoopbackDriveOptions = {}): Promise<LoopbackDrive> {
  const state = new DriveState(options.now ?? Date.now);
  const channels = new ChannelRegistry();
  const faults = new FaultTable();
  const requests: LoggedRequest[] = [];
  const schemaErrors: string[] = [];
  let rootUrl = '';

  const fileChanged = (fileId: string, event: FileEvent) => {
    if (options.autoNotify === false) return;
    for (const c of channels.live(state.nowMs())) {
      if (c.kind === 'changes') void channels.send(c.id, 'change');
      else if (c.fileId === fileId) {
        const changed =
          event === 'content' ? ['content'] : event === 'properties' ? ['properties'] : undefined;
        void channels.send(c.id, FILE_STATES[event], changed ? { changed } : {});
      }
    }
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', rootUrl);
    const tasks: Array<() => void> = [];
    const ctx: LoopbackContext = {
      state,
      channels,
      rootUrl: () => rootUrl,
      fileChanged,
      afterResponse: (task) => tasks.push(task),
    };
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: '',
    };
    requests.push(entry);
    try {
      const body = await readBody(req);
      entry.body = body.toString('utf8');
      const fault = faults.take(entry.method, entry.path);
      await fault?.run?.();
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.status) {
        const reason = fault.reason ?? DEFAULT_REASONS[fault.status] ?? 'backendError';
        throw new GoogleApiError(fault.status, reason, `Injected fault ${fault.status}`);
      }
      const auth = req.headers.authorization ?? '';
      const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
      if (!bearer || (options.accessToken !== undefined && bearer !== options.accessToken)) {
        throw new GoogleApiError(401, 'authError', 'Invalid Credentials', 'Authorization');
      }
      handleApiRequest(req, res, url, body, ctx, schemaErrors);
    } catch (err) {
      const apiError =
        err instanceof GoogleApiError ? err : new GoogleApiError(500, 'backendError', (err as Error).message);
      if (!res.headersSent) sendError(res, apiError);
    }
    entry.status = res.statusCode;
    for (const task of tasks) task();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rootUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [id, seed] of Object.entries(options.files ?? {})) state.addFile(id, seed);

  const copy = (f: LoopbackFile | undefined) => (f ? { ...f } : undefined);
  const mustExist = (id: string) => {
    if (!state.files.has(id)) throw new Error(`loopback drive has no file ${id}`);
  };

  return {
    url: rootUrl,
    async close() {
      await channels.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
    file: (id) => copy(state.files.get(id)),
    addFile: (id, seed) => {
      const file = state.addFile(id, seed);
      fileChanged(id, 'content');
      return { ...file };
    },
    setContent(id, content) {
      mustExist(id);
      const file = state.update(id, { content });
      fileChanged(id, 'content');
      return { ...file };
    },
    trash(id) {
      mustExist(id);
      const file = state.update(id, { trashed: true });
      fileChanged(id, 'trash');
      return { ...file };
    },
    moveFile(id, parents) {
      mustExist(id);
      const file = state.update(id, { parents });
      fileChanged(id, 'properties');
      return { ...file };
    },
    removeFile(id) {
      mustExist(id);
      state.remove(id);
      fileChanged(id, 'remove');
    },
    startPageToken: () => state.startPageToken(),
    notify: (channelId, s, opts) => channels.send(channelId, s, opts),
    channels: () => channels.all(),
    notifications: channels.notifications,
    idle: () => channels.idle(),
    requests,
    schemaErrors,
    injectFault: (spec) => faults.add(spec),
  };
}
