/**
 * What the dashboard reads from the API, as the server's own types. The page's modules name them in
 * JSDoc typedefs that import this file's types, checked by `npm run typecheck`
 * (`shared/dashboard/tsconfig.json`), so changing a shape the page reads fails the build instead of
 * the page. Type-only: the browser never loads this file.
 */
import type { ApiRequests, ApiResponses } from '../api/openapi.ts';
import type { DriftFinding } from '../domain/index.ts';
import type { AiStatus, DeadLetter } from '../ports/index.ts';
import type { Page } from '../records/index.ts';
import type { ResilienceStatus } from '../resilience/index.ts';

/**
 * As the server has them: a page of a list (`items`, and `nextPageToken` when there are more), the
 * bus's dead letter (the document leaves its message loose) and the engine's drift finding.
 */
/** The `providers` part of the health answer: circuits, write pacing and rate-limit headroom. */
export type { DeadLetter, DriftFinding, Page, ResilienceStatus };

export type SyncRequest = ApiRequests['SyncBody'];
export type ResolveRequest = ApiRequests['ResolveBody'];
export type BulkResolveRequest = ApiRequests['BulkResolveBody'];

export type Link = ApiResponses['Link'];
export type Operation = ApiResponses['Operation'];
export type BootstrapJob = ApiResponses['BootstrapJob'];
export type Conflict = ApiResponses['Conflict'];
export type ConflictPage = ApiResponses['ConflictPage'];
/** `GET …/conflicts/{cid}/suggestion`. */
export type ConflictSuggestion = ApiResponses['ConflictSuggestion'];
export type BulkResolveResult = ApiResponses['BulkResolveResult'];
export type Service = ApiResponses['Service'];
export type Queued = ApiResponses['Queued'];
export type Delivery = ApiResponses['Delivery'];
/** `GET /api/v1/services/github`: the services of the last synced snapshot. */
export type SyncedServices = { linkId: string; services: Service[] };
/** `POST …/conflicts/{cid}/resolve`. */
export type ConflictResolved = { conflict: Conflict; operationId: string };
/**
 * The document keeps drift findings loose (a finding of a new kind still validates); the page reads
 * the fields the engine writes.
 */
export type Drift = {
  linkId: ApiResponses['Drift']['linkId'];
  computedAt: ApiResponses['Drift']['computedAt'];
  findings: DriftFinding[];
};
/** `GET /api/v1/stats`: sync figures over a window, per bucket. */
export type SyncStats = ApiResponses['SyncStats'];
/** `GET /api/v1/health`: the admin's instance-wide view or a tenant's own. */
export type Health = ApiResponses['Health'];
export type HealthHistory = ApiResponses['HealthHistory'];
export type NotificationSubscription = ApiResponses['NotificationSubscription'];
/** `GET /api/v1/ai/usage`: spend and usage per day and by purpose, model and (admin) tenant; limits. */
export type AiUsage = ApiResponses['AiUsage'];
export type AiCallPage = ApiResponses['AiCallPage'];
/**
 * The `ai` part of the health answer: the gateway's status, or why there is none (no provider key,
 * or the gateway failed to start).
 */
export type AiHealth = AiStatus | { enabled: false; reason: string } | { ok: false; error: string };
