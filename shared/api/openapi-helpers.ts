/** Small builders for the OpenAPI document's path items (components are named in openapi.ts). */

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const jsonBody = (schema: object, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

export const response = (description: string, schema?: object, headers?: object) => ({
  description,
  ...(headers ? { headers } : {}),
  ...(schema ? { content: { 'application/json': { schema } } } : {}),
});

const ERROR_RESPONSES = {
  '400': 'Invalid input: the message names the field and why',
  '401': 'Missing, invalid or revoked bearer token',
  '403': 'Needs the admin token',
  '404': 'Unknown, or another tenant’s, resource',
  '409': 'The resource is not in a state that allows this (for example, already settled)',
  '413': 'Body over 1 MiB',
  '415': 'Body is not application/json',
  '429': 'Rate limit of this API key exceeded',
  '503': 'A backend is unavailable; try again',
} as const;
type ErrorStatus = keyof typeof ERROR_RESPONSES;

const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } },
};

/** The error responses an operation can give: always 401 and 429, plus `extra`. */
export function errors(...extra: ErrorStatus[]): Record<string, object> {
  const statuses = [...new Set<ErrorStatus>(['401', '429', ...extra])].sort();
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      response(ERROR_RESPONSES[s], ref('Error'), s === '429' || s === '503' ? retryAfter : undefined),
    ]),
  );
}

/** Errors of an operation that reads a JSON body. */
export const BODY_ERRORS: ErrorStatus[] = ['400', '413', '415'];

export const pageParams = [
  {
    name: 'pageSize',
    in: 'query',
    description: 'Items per page',
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
  {
    name: 'pageToken',
    in: 'query',
    description: 'nextPageToken of the previous page',
    schema: { type: 'string' },
  },
];

export const linkQuery = {
  name: 'link',
  in: 'query',
  description: 'The link to act on; may be left out when the caller has exactly one link',
  schema: { type: 'string' },
};

export const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

export const pageOf = (items: object) => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items }, nextPageToken: { type: 'string' } },
});
