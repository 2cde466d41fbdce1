import { errors, response } from './openapi-helpers.ts';

const Connection = {
  type: 'object',
  required: ['connected'],
  properties: {
    connected: { type: 'boolean' },
    status: {
      enum: ['active', 'reconnect_needed'],
      description: 'reconnect_needed: GitHub refused to refresh the token; connect again',
    },
    reason: { type: 'string', description: 'Why reconnecting is needed' },
    scopes: { type: 'array', items: { type: 'string' } },
    connectedAt: { type: 'string', format: 'date-time' },
    expiresAt: {
      type: 'string',
      format: 'date-time',
      description: 'When the access token expires (GitHub App user tokens; refreshed before then)',
    },
  },
};

/** `/api/integrations/github...`: a tenant connects its own GitHub account (OAuth App). */
export function integrationPaths(): Record<string, object> {
  return {
    '/api/integrations/github/connect': {
      get: {
        operationId: 'connectGithub',
        summary: 'Start connecting the tenant’s GitHub account',
        description:
          'Redirects (302) to GitHub’s authorization page with a single-use state bound to this browser ' +
          '(cookie); with Accept: application/json answers the URL instead, for a page script to navigate to.',
        responses: {
          '200': response('Where to send the browser', {
            type: 'object',
            required: ['authorizeUrl', 'expiresAt'],
            properties: {
              authorizeUrl: { type: 'string', format: 'uri' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          }),
          '302': response('To GitHub’s authorization page'),
          ...errors('503'),
        },
      },
    },
    '/api/integrations/github/callback': {
      get: {
        operationId: 'githubCallback',
        summary: 'GitHub’s redirect back (reached by the browser; the state carries the tenant)',
        security: [],
        parameters: ['state', 'code', 'error'].map((name) => ({
          name,
          in: 'query',
          required: name === 'state',
          schema: { type: 'string' },
        })),
        responses: {
          '302': response('Connected: back to the dashboard'),
          ...errors('400', '503'),
        },
      },
    },
    '/api/integrations/github': {
      get: {
        operationId: 'getGithubConnection',
        summary: 'Whether the tenant has a GitHub account connected (never the token)',
        responses: { '200': response('The connection', Connection), ...errors() },
      },
      delete: {
        operationId: 'disconnectGithub',
        summary: 'Forget the tenant’s GitHub token and have GitHub revoke it',
        description:
          'Its links then need another connected account or a grant from the admin (their next sync is ' +
          'refused as forbidden otherwise). revokedAtGithub is false when ' +
          'GitHub could not be told (then revoke the grant in GitHub’s settings).',
        responses: {
          '200': response('Disconnected', {
            type: 'object',
            required: ['connected', 'disconnected', 'revokedAtGithub'],
            properties: {
              connected: { const: false },
              disconnected: { type: 'boolean' },
              revokedAtGithub: { type: 'boolean' },
            },
          }),
          ...errors(),
        },
      },
    },
  };
}
