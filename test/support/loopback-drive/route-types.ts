import type { IncomingHttpHeaders } from 'node:http';
import type { ChannelRegistry } from './channel-registry.ts';
import type { DiscoveryDocument } from './discovery.ts';
import type { DriveState } from './drive-state.ts';

/** What changed about a file, for the notifications Drive sends. */
export type FileEvent = 'content' | 'properties' | 'trash' | 'untrash' | 'remove';

export interface LoopbackContext {
  state: DriveState;
  channels: ChannelRegistry;
  rootUrl(): string;
  /** Tells watchers of the changes feed and of the file (when auto-notify is on). */
  fileChanged(fileId: string, event: FileEvent): void;
  /** Runs after the response was written (Drive's `sync` message follows the watch response). */
  afterResponse(task: () => void): void;
}

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The JSON body, already checked against the method's request schema. */
  json: Record<string, unknown>;
}

export type RouteResult =
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | { media: string | Buffer; contentType: string }
  | { empty: true };

export interface Route {
  httpMethod: string;
  pattern: RegExp;
  doc: DiscoveryDocument;
  resource: string;
  method: string;
  /** Served on /upload/...: accepts uploadType and a media body. */
  upload?: boolean;
  /** Partial response when the request has no `fields`. */
  defaultFields: string;
  handle(req: RouteRequest, ctx: LoopbackContext): RouteResult;
}
