import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import {
  errorResponse,
  type HttpHandler,
  type HttpRequest,
  type HttpResponse,
  json,
  methodNotAllowed,
} from '../http/index.ts';
import { newTraceId, traceIdFromHeaders } from '../logging/index.ts';
import { TOPICS } from '../ports/index.ts';
import { COLLECTIONS, docId, docIdPart } from '../records/index.ts';
import { getChannel } from './channels.ts';
import { constantTimeEqual } from './constant-time.ts';
import { countIntake } from './intake-metrics.ts';

/** Kept longer than any channel lives (changes channels: at most 1 week), so a retry is always caught. */
export const NOTIFICATION_MARKER_TTL_MS = 8 * 24 * 60 * 60 * 1000;

/**
 * Resource states that mean something changed (changes.watch sends `change`; files.watch the rest).
 * `sync` only announces a new channel. See https://developers.google.com/workspace/drive/api/guides/push
 */
const CHANGE_STATES = new Set(['change', 'add', 'remove', 'update', 'trash', 'untrash']);

const REQUIRED_HEADERS = [
  'x-goog-channel-id',
  'x-goog-channel-token',
  'x-goog-resource-state',
  'x-goog-message-number',
  'x-goog-resource-id',
] as const;

/** What the worker gets on `drive-changes`: a nudge; the changes feed is the truth. */
export interface DriveChangeMessage {
  channelId: string;
  linkId: string;
  kind: 'changes' | 'file';
  resourceId: string;
  resourceState: string;
  messageNumber: number;
  /** `X-Goog-Changed` for file updates (content, properties, parents...). */
  changed?: string[];
  receivedAt: string;
}

function requiredHeaders(req: HttpRequest) {
  const missing = REQUIRED_HEADERS.filter((h) => !req.headers[h]);
  if (missing.length > 0) throw new AppError('bad_request', `Missing header(s): ${missing.join(', ')}`);
  const [channelId, token, state, number, resourceId] = REQUIRED_HEADERS.map((h) => req.headers[h] as string);
  if (!/^\d{1,15}$/.test(number ?? '')) {
    throw new AppError('bad_request', 'X-Goog-Message-Number must be a positive integer');
  }
  return {
    channelId: channelId as string,
    token: token as string,
    resourceState: (state as string).toLowerCase(),
    messageNumber: Number(number),
    resourceId: resourceId as string,
  };
}

const markerId = (channelId: string, messageNumber: number) =>
  docId('drive-notification', docIdPart(channelId), String(messageNumber));

/**
 * `POST /drive/notifications`: Drive push notifications for the channels the scheduler created.
 * Google retries 5xx answers with backoff, so a bad request gets a 4xx and only a failed publish
 * gets a 5xx (that retry is wanted).
 */
export function createDriveNotificationsHandler(ctx: AppContext): HttpHandler {
  const logger = ctx.logger.child({ component: 'drive-notifications' });

  async function handle(req: HttpRequest, traceId: string) {
    if (req.method !== 'POST') return methodNotAllowed(['POST']);
    const n = requiredHeaders(req);
    const channel = await getChannel(ctx.state, n.channelId);
    if (!channel) throw new AppError('not_found', 'Unknown channel');
    if (!constantTimeEqual(n.token, channel.token)) {
      logger.warn('drive notification with a wrong channel token', { channelId: n.channelId });
      throw new AppError('unauthorized', 'Channel token does not match');
    }
    if (channel.resourceId && channel.resourceId !== n.resourceId) {
      throw new AppError('unauthorized', 'Resource id does not match the channel');
    }
    if (n.resourceState === 'sync') return json(200, { status: 'sync' });
    if (!CHANGE_STATES.has(n.resourceState)) {
      logger.info('ignored drive notification state', { channelId: n.channelId, state: n.resourceState });
      return json(200, { status: 'ignored' });
    }

    const now = ctx.now();
    const id = markerId(n.channelId, n.messageNumber);
    const expireAt = new Date(now.getTime() + NOTIFICATION_MARKER_TTL_MS);
    const marker = { channelId: n.channelId, messageNumber: n.messageNumber, published: false };
    if (!(await ctx.state.create(COLLECTIONS.idempotency, id, marker, { expireAt }))) {
      const existing = await ctx.state.get<{ published?: boolean }>(COLLECTIONS.idempotency, id);
      // An unpublished marker means an earlier attempt failed to publish: this retry does it.
      if (existing?.data.published !== false) return json(200, { status: 'duplicate' });
    }

    const changed = req.headers['x-goog-changed']
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const message: DriveChangeMessage = {
      channelId: n.channelId,
      linkId: channel.linkId,
      kind: channel.kind,
      resourceId: n.resourceId,
      resourceState: n.resourceState,
      messageNumber: n.messageNumber,
      ...(changed && changed.length > 0 ? { changed } : {}),
      receivedAt: now.toISOString(),
    };
    try {
      await ctx.publisher.publish(TOPICS.driveChanges, message, {
        orderingKey: channel.linkId,
        attributes: {
          linkId: channel.linkId,
          channelId: n.channelId,
          resourceState: n.resourceState,
          messageNumber: String(n.messageNumber),
          traceId,
        },
      });
    } catch (err) {
      logger.error('publishing a drive notification failed', { channelId: n.channelId, error: err });
      throw new AppError('unavailable', 'The notification could not be queued', { cause: err });
    }
    try {
      await ctx.state.set(COLLECTIONS.idempotency, id, { ...marker, published: true }, { expireAt });
    } catch (err) {
      logger.warn('recording a published drive notification failed', { channelId: n.channelId, error: err });
    }
    return json(200, { status: 'accepted' });
  }

  return async (req) => {
    let response: HttpResponse;
    try {
      response = await handle(req, traceIdFromHeaders(req.headers) ?? newTraceId());
    } catch (err) {
      response = errorResponse(err);
    }
    countIntake(ctx.metrics, 'drive', req.headers['x-goog-resource-state']?.toLowerCase(), response);
    return response;
  };
}
