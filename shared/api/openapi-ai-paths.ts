import { errors, pageParams, ref, response } from './openapi-helpers.ts';

/** The AI layer's audit trail. */
export function aiPaths(): Record<string, object> {
  return {
    '/api/v1/ai/calls': {
      get: {
        operationId: 'listAiCalls',
        summary: 'Audit of AI calls, newest first: the caller’s tenant, or (admin) all or one tenant',
        description:
          'One record per attempt that reached a provider: tenant, API key id, purpose, provider, model, tokens, ' +
          'cost in pico-USD (usage × the pinned price table), latency, outcome and the sha256 of the prompt ' +
          '(never the prompt). Kept AI_AUDIT_TTL_DAYS.',
        parameters: [
          ...pageParams,
          {
            name: 'tenant',
            in: 'query',
            description: 'Admin: only this tenant’s calls (a tenant may name only itself)',
            schema: { type: 'string' },
          },
        ],
        responses: { '200': response('A page of AI calls', ref('AiCallPage')), ...errors('400', '403') },
      },
    },
  };
}
