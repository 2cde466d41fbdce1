import { resourceIdFor } from './channel-registry.ts';
import { DRIVE_V3 } from './discovery.ts';
import { requireFile } from './file-routes.ts';
import { GoogleApiError } from './http-io.ts';
import { DEFAULT_FIELDS, v3Change } from './representations.ts';
import type { LoopbackContext, Route, RouteRequest } from './route-types.ts';

/** Drive's caps (https://developers.google.com/workspace/drive/api/guides/push#renew-notification-channels). */
const MAX_LIFETIME_MS = { changes: 7 * 24 * 3600_000, file: 24 * 3600_000 } as const;
/** Without a requested expiration Drive grants one hour. */
const DEFAULT_LIFETIME_MS = 3600_000;

function pageTokenOf(req: RouteRequest): number {
  const raw = req.query.get('pageToken') ?? '';
  if (!/^\d+$/.test(raw)) throw new GoogleApiError(400, 'invalid', 'Invalid Value', 'pageToken');
  return Number(raw);
}

function openChannel(
  ctx: LoopbackContext,
  req: RouteRequest,
  kind: 'changes' | 'file',
  resource: { key: string; uri: string; fileId?: string; pageToken?: string },
) {
  const body = req.json as {
    id?: string;
    type?: string;
    address?: string;
    token?: string;
    expiration?: string;
  };
  if (!body.id) throw new GoogleApiError(400, 'required', 'Required: channel id');
  if (body.type !== 'web_hook' && body.type !== 'webhook') {
    throw new GoogleApiError(400, 'channelTypeInvalid', `Invalid channel type ${body.type}`);
  }
  if (!body.address || !URL.canParse(body.address))
    throw new GoogleApiError(400, 'required', 'Required: address');
  if (ctx.channels.get(body.id))
    throw new GoogleApiError(400, 'channelIdNotUnique', `Channel id ${body.id} not unique`);
  const now = ctx.state.nowMs();
  const requested = body.expiration === undefined ? now + DEFAULT_LIFETIME_MS : Number(body.expiration);
  if (requested <= now) throw new GoogleApiError(400, 'invalid', 'Invalid expiration: in the past');
  const channel = ctx.channels.add({
    id: body.id,
    kind,
    resourceId: resourceIdFor(kind, resource.key),
    resourceUri: resource.uri,
    address: body.address,
    ...(body.token === undefined ? {} : { token: body.token }),
    expiration: Math.min(requested, now + MAX_LIFETIME_MS[kind]),
    ...(resource.fileId ? { fileId: resource.fileId } : {}),
    ...(resource.pageToken ? { pageToken: resource.pageToken } : {}),
  });
  ctx.afterResponse(() => void ctx.channels.send(channel.id, 'sync'));
  return {
    json: {
      kind: 'api#channel',
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: channel.resourceUri,
      ...(channel.token === undefined ? {} : { token: channel.token }),
      expiration: String(channel.expiration),
    },
  };
}

export const CHANGE_ROUTES: Route[] = [
  {
    httpMethod: 'GET',
    pattern: /^\/drive\/v3\/changes\/startPageToken$/,
    doc: DRIVE_V3,
    resource: 'changes',
    method: 'getStartPageToken',
    defaultFields: DEFAULT_FIELDS.all,
    handle: (_req, ctx) => ({
      json: { kind: 'drive#startPageToken', startPageToken: ctx.state.startPageToken() },
    }),
  },
  {
    httpMethod: 'GET',
    pattern: /^\/drive\/v3\/changes$/,
    doc: DRIVE_V3,
    resource: 'changes',
    method: 'list',
    defaultFields: DEFAULT_FIELDS.v3ChangeList,
    handle(req, ctx) {
      const from = pageTokenOf(req);
      const pageSize = Number(req.query.get('pageSize') ?? '100');
      if (pageSize < 1 || pageSize > 1000)
        throw new GoogleApiError(400, 'invalid', 'Invalid Value', 'pageSize');
      const includeRemoved = req.query.get('includeRemoved') !== 'false';
      const pending = ctx.state.changes.filter((c) => c.seq >= from && (includeRemoved || !c.removed));
      const page = pending.slice(0, pageSize);
      const next = pending[pageSize];
      return {
        json: {
          kind: 'drive#changeList',
          changes: page.map((c) => v3Change(c, ctx.state)),
          ...(next ? { nextPageToken: String(next.seq) } : { newStartPageToken: ctx.state.startPageToken() }),
        },
      };
    },
  },
  {
    httpMethod: 'POST',
    pattern: /^\/drive\/v3\/changes\/watch$/,
    doc: DRIVE_V3,
    resource: 'changes',
    method: 'watch',
    defaultFields: DEFAULT_FIELDS.all,
    handle(req, ctx) {
      const pageToken = String(pageTokenOf(req));
      const uri = `${ctx.rootUrl()}/drive/v3/changes?alt=json&pageToken=${pageToken}`;
      return openChannel(ctx, req, 'changes', { key: 'user', uri, pageToken });
    },
  },
  {
    httpMethod: 'POST',
    pattern: /^\/drive\/v3\/files\/(?<fileId>[^/]+)\/watch$/,
    doc: DRIVE_V3,
    resource: 'files',
    method: 'watch',
    defaultFields: DEFAULT_FIELDS.all,
    handle(req, ctx) {
      const file = requireFile(ctx, req.params.fileId);
      const uri = `${ctx.rootUrl()}/drive/v3/files/${file.id}?alt=json`;
      return openChannel(ctx, req, 'file', { key: file.id, uri, fileId: file.id });
    },
  },
  {
    httpMethod: 'POST',
    pattern: /^\/drive\/v3\/channels\/stop$/,
    doc: DRIVE_V3,
    resource: 'channels',
    method: 'stop',
    defaultFields: DEFAULT_FIELDS.all,
    handle(req, ctx) {
      const { id, resourceId } = req.json as { id?: string; resourceId?: string };
      if (!id || !resourceId || !ctx.channels.stop(id, resourceId)) {
        throw new GoogleApiError(404, 'notFound', `Channel '${id}' not found for project 'loopback'`);
      }
      return { empty: true };
    },
  },
];
