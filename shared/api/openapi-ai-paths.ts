import { BODY_ERRORS, errors, jsonBody, pageParams, pathParam, ref, response } from './openapi-helpers.ts';

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
    '/api/v1/ai/usage': {
      get: {
        operationId: 'getAiUsage',
        summary:
          'AI spend, requests and tokens per UTC day, by purpose, model and (admin) tenant; budgets and quotas',
        description:
          'Summed from the audit records of the window (at most the newest 20,000: `truncated` and `coveredSince` ' +
          'say when the answer was cut). Cost is exact: `costPicoUsd` is the integer sum in pico-USD as a string, ' +
          '`costUsd` the same in USD for charts. `limits` gives the current UTC month’s budget use and the day’s ' +
          'quota use of the tenant (the admin without `tenant`: of every tenant with usage this period) with the ' +
          '80/90/100 % marks its notifications use.',
        parameters: [
          {
            name: 'days',
            in: 'query',
            description: 'UTC days to cover, today included',
            schema: { type: 'integer', minimum: 1, maximum: 90, default: 30 },
          },
          {
            name: 'tenant',
            in: 'query',
            description: 'Admin: only this tenant’s usage (a tenant may name only itself)',
            schema: { type: 'string' },
          },
        ],
        responses: { '200': response('AI usage of the window', ref('AiUsage')), ...errors('400', '403') },
      },
    },
    '/api/v1/ai/quota-overrides': {
      get: {
        operationId: 'listAiQuotaOverrides',
        summary: 'The AI quota overrides in force (admin)',
        responses: {
          '200': response('Overrides', {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: ref('AiQuotaOverride') } },
          }),
          ...errors('403'),
        },
      },
    },
    '/api/v1/ai/quota-overrides/{tenant}': {
      put: {
        operationId: 'putAiQuotaOverride',
        summary:
          'Give a tenant another daily AI request quota until a time (admin; at most 31 days, audited)',
        parameters: [pathParam('tenant')],
        requestBody: jsonBody(ref('AiQuotaOverrideBody')),
        responses: {
          '200': response('The override', ref('AiQuotaOverride')),
          ...errors(...BODY_ERRORS, '403'),
        },
      },
      delete: {
        operationId: 'deleteAiQuotaOverride',
        summary: 'End a tenant’s AI quota override now (admin)',
        parameters: [pathParam('tenant')],
        responses: { '204': response('Removed'), ...errors('403', '404') },
      },
    },
  };
}
