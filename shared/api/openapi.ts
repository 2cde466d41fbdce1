import { z } from 'zod';
import { ConflictRecord, Link, Operation } from '../links/index.ts';
import { ResolveBody } from './routes/history.ts';
import { CreateLinkBody, SyncBody } from './routes/links.ts';

const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const schemas = {
  CreateLinkBody,
  SyncBody,
  ResolveBody,
  Link,
  Operation,
  Conflict: ConflictRecord,
  Error: ErrorBody,
};

const ref = (name: keyof typeof schemas) => ({ $ref: `#/components/schemas/${name}` });
const body = (name: keyof typeof schemas) => ({
  required: true,
  content: { 'application/json': { schema: ref(name) } },
});
const ok = (description: string, schema?: object) => ({
  description,
  ...(schema ? { content: { 'application/json': { schema } } } : {}),
});
const errors = {
  '400': ok('Invalid input: the message names the field and why', ref('Error')),
  '401': ok('Missing or invalid bearer token', ref('Error')),
  '404': ok('Unknown, or another tenant’s, resource', ref('Error')),
  '429': ok('Rate limit exceeded; see Retry-After', ref('Error')),
};
const pageParams = [
  { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  { name: 'pageToken', in: 'query', schema: { type: 'string' } },
];
const id = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const page = (name: keyof typeof schemas) => ({
  type: 'object',
  properties: { items: { type: 'array', items: ref(name) }, nextPageToken: { type: 'string' } },
});

/** The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with. */
export function openApiDocument(serverUrl: string): object {
  const components = Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [
      name,
      z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    ]),
  );
  return {
    openapi: '3.1.0',
    info: { title: 'Integration Bridge API', version: '1.0.0' },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/api/v1/health': {
        get: {
          summary: 'Backends and providers health',
          responses: { '200': ok('Healthy'), '503': ok('Degraded') },
        },
      },
      '/api/v1/links': {
        get: {
          summary: 'List links',
          parameters: pageParams,
          responses: { '200': ok('A page of links', page('Link')), ...errors },
        },
        post: {
          summary: 'Create a link',
          requestBody: body('CreateLinkBody'),
          responses: { '201': ok('Created', ref('Link')), ...errors },
        },
      },
      '/api/v1/links/{id}': {
        parameters: [id('id')],
        get: { summary: 'One link', responses: { '200': ok('The link', ref('Link')), ...errors } },
        delete: {
          summary: 'Delete a link and stop its channels',
          responses: { '204': ok('Deleted'), ...errors },
        },
      },
      '/api/v1/links/{id}/sync': {
        parameters: [id('id')],
        post: {
          summary: 'Queue a sync',
          requestBody: body('SyncBody'),
          responses: {
            '202': ok('Queued', { type: 'object', properties: { operationId: { type: 'string' } } }),
            ...errors,
          },
        },
      },
      '/api/v1/links/{id}/operations': {
        parameters: [id('id'), ...pageParams],
        get: {
          summary: 'Sync history',
          responses: { '200': ok('A page of operations', page('Operation')), ...errors },
        },
      },
      '/api/v1/operations/{opId}': {
        parameters: [id('opId')],
        get: {
          summary: 'One operation',
          responses: { '200': ok('The operation', ref('Operation')), ...errors },
        },
      },
      '/api/v1/links/{id}/conflicts': {
        parameters: [
          id('id'),
          { name: 'state', in: 'query', schema: { enum: ['open', 'settled'] } },
          ...pageParams,
        ],
        get: {
          summary: 'Conflicts (all, or by state)',
          responses: { '200': ok('A page of conflicts', page('Conflict')), ...errors },
        },
      },
      '/api/v1/links/{id}/conflicts/{cid}/resolve': {
        parameters: [id('id'), id('cid')],
        post: {
          summary: 'Resolve a conflict and queue a sync',
          requestBody: body('ResolveBody'),
          responses: { '200': ok('Resolved'), '409': ok('Already settled', ref('Error')), ...errors },
        },
      },
      '/api/v1/links/{id}/drift': {
        parameters: [id('id')],
        get: { summary: 'Drift findings', responses: { '200': ok('Findings'), ...errors } },
      },
      '/api/v1/deliveries/{deliveryId}': {
        parameters: [id('deliveryId')],
        get: { summary: 'A webhook delivery (admin)', responses: { '200': ok('The delivery'), ...errors } },
      },
      '/api/v1/dead-letters': {
        get: {
          summary: 'Failed messages (admin)',
          parameters: pageParams,
          responses: { '200': ok('Dead letters'), ...errors },
        },
      },
      '/api/v1/dead-letters/{id}/replay': {
        parameters: [id('id')],
        post: { summary: 'Replay a dead letter (admin)', responses: { '202': ok('Replayed'), ...errors } },
      },
    },
  };
}
