import { z } from 'zod';
import { AccessReport, TenantGrants } from '../access/index.ts';
import { DesignExport, HEALTH_STATUSES, ServiceDefinition } from '../domain/index.ts';
import { CreateSubscriptionBody, SubscriptionView } from '../notifications/index.ts';
import {
  AiCallAudit,
  AiQuotaOverride,
  BootstrapJob,
  ConflictRecord,
  LINK_STATUSES,
  Link,
  Operation,
} from '../records/index.ts';
import { aiPaths } from './openapi-ai-paths.ts';
import { aliasPaths, keyPaths } from './openapi-alias-paths.ts';
import { bootstrapPaths } from './openapi-bootstrap-paths.ts';
import { grantPaths } from './openapi-grant-paths.ts';
import { integrationPaths } from './openapi-integration-paths.ts';
import { notificationPaths } from './openapi-notification-paths.ts';
import { corePaths } from './openapi-paths.ts';
import { suggestionPaths } from './openapi-suggestion-paths.ts';
import { AiQuotaOverrideBody } from './routes/ai-quota-overrides.ts';
import { AiUsageResponse } from './routes/ai-usage.ts';
import { BootstrapBody } from './routes/bootstrap.ts';
import { BulkResolveBody, BulkResolveResult } from './routes/bulk-resolve.ts';
import { HealthHistoryResponse } from './routes/health-history.ts';
import { ResolveAllBody, ResolveBody } from './routes/history.ts';
import { CreateKeyBody } from './routes/keys.ts';
import { UpdateLinkBody } from './routes/link-settings.ts';
import { CreateLinkBody, SyncBody } from './routes/links.ts';
import { SyncStatsResponse } from './routes/stats.ts';
import { ConflictSuggestion } from './suggest-conflict.ts';

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Response shapes the handlers build by hand; the API tests validate real answers against them. */
const Queued = z.object({ operationId: z.string(), status: z.string() });
const SyncStatus = z.object({
  linkId: z.string(),
  status: z.enum(LINK_STATUSES),
  positions: Link.shape.positions,
  lastSync: Link.shape.lastSync,
  drift: Link.shape.drift,
  openConflicts: z.number().int(),
});
const ConflictPage = z.object({
  items: z.array(ConflictRecord),
  nextPageToken: z.string().optional(),
  /** How many conflicts match the filters in all pages. */
  total: z.number().int(),
});
const LinkUpdate = Link.extend({
  /** Each setting that changed, from → to (empty when the request changed nothing). */
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  /** The history entry recording the change (absent when nothing changed). */
  operationId: z.string().optional(),
});
const ApiKey = z.object({
  id: z.string(),
  tenant: z.string(),
  tier: z.string(),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});
const DeadLetter = z.object({
  id: z.string(),
  topic: z.string(),
  message: z.looseObject({ id: z.string(), topic: z.string(), data: z.unknown() }),
  lastError: z.string(),
  attempts: z.number().int(),
  deadAt: z.string(),
});
const Drift = z.looseObject({
  linkId: z.string(),
  findings: z.array(z.looseObject({ kind: z.string() })),
  computedAt: z.string().nullable(),
});
const Delivery = z.looseObject({
  deliveryId: z.string(),
  event: z.string(),
  timesReceived: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  outcome: z.string(),
});
const Check = z.looseObject({ ok: z.boolean(), error: z.string().optional() });
const Health = z.looseObject({
  status: z.enum(['ok', 'degraded']),
  backend: z.string(),
  stateStore: Check,
  bus: Check,
  driveChannels: Check,
  /** The scheduler's last GitHub failed-delivery recovery run. */
  deliveryRecovery: z.looseObject({}).optional(),
  /** When the drive-changes job last saved its position in the Drive changes feed. */
  driveChangesFeed: z.looseObject({}).optional(),
  /** Per provider: circuit state and rate-limit headroom. */
  providers: z.unknown().optional(),
  /** The AI layer: enabled or not, and per AI provider its model, circuit (closed/open/half-open) and latency. */
  ai: z.looseObject({ enabled: z.boolean().optional() }).optional(),
  /** The caller's links by integration health (the 5-minute health job), the failing ones named. */
  integrations: z
    .looseObject({
      ok: z.boolean(),
      healthy: z.number().int().optional(),
      degraded: z.number().int().optional(),
      unhealthy: z.number().int().optional(),
      failing: z
        .array(
          z.object({
            linkId: z.string(),
            status: z.enum(HEALTH_STATUSES),
            since: z.string(),
            checkedAt: z.string(),
            failing: z.array(
              z.object({ check: z.string(), status: z.enum(HEALTH_STATUSES), reason: z.string() }),
            ),
          }),
        )
        .optional(),
    })
    .optional(),
});

/** Request bodies are documented as accepted (input), responses as produced (output, defaults applied). */
const requests = {
  AiQuotaOverrideBody,
  BootstrapBody,
  CreateSubscriptionBody,
  CreateLinkBody,
  UpdateLinkBody,
  SyncBody,
  ResolveBody,
  ResolveAllBody,
  BulkResolveBody,
  CreateKeyBody,
};
const responses = {
  Link,
  LinkUpdate,
  Operation,
  Conflict: ConflictRecord,
  ConflictPage,
  ConflictSuggestion,
  BulkResolveResult,
  Service: ServiceDefinition,
  DesignExport,
  Queued,
  SyncStatus,
  ApiKey,
  DeadLetter,
  Drift,
  Delivery,
  Health,
  SyncStats: SyncStatsResponse,
  HealthHistory: HealthHistoryResponse,
  NotificationSubscription: SubscriptionView.extend({ secret: z.string().optional() }),
  TenantGrants,
  AccessReport,
  AiQuotaOverride,
  BootstrapJob,
  AiUsage: AiUsageResponse,
  AiCallPage: z.object({ items: z.array(AiCallAudit), nextPageToken: z.string().optional() }),
  Error: ErrorBody,
};

/** Each documented body as the API accepts it and each response as the handlers produce it (the dashboard's types). */
export type ApiRequests = { [K in keyof typeof requests]: z.input<(typeof requests)[K]> };
export type ApiResponses = { [K in keyof typeof responses]: z.output<(typeof responses)[K]> };

function components(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(requests)) {
    out[name] = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  }
  for (const [name, schema] of Object.entries(responses)) {
    out[name] = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
  }
  return out;
}

/** The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with. */
export function openApiDocument(serverUrl: string): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Integration Bridge API',
      version: '1.0.0',
      description:
        'Every /api/v1 route needs Authorization: Bearer <token>; a token sees only its tenant’s links. ' +
        'Errors are {"error":{"code","message"}}.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    paths: {
      ...corePaths(),
      ...suggestionPaths(),
      ...aliasPaths(),
      ...keyPaths(),
      ...grantPaths(),
      ...integrationPaths(),
      ...notificationPaths(),
      ...aiPaths(),
      ...bootstrapPaths(),
    },
  };
}
