import { errors, pathParam, ref, response } from './openapi-helpers.ts';

/** Suggested resolutions of open conflicts (issue 17): read-only, applied through …/resolve. */
export function suggestionPaths(): Record<string, object> {
  return {
    '/api/v1/links/{id}/conflicts/{cid}/suggestion': {
      parameters: [pathParam('id'), pathParam('cid')],
      get: {
        operationId: 'suggestConflictResolution',
        summary: 'A suggested resolution of an open conflict, with a one-paragraph rationale (never applied)',
        description:
          'Without an AI provider, the policy’s own answer (higher semver, union of sets, the link’s policy or ' +
          'its default). With one, a model’s proposal when it passes the same checks as a person’s resolution, ' +
          'else the policy’s answer with `reason`. Apply it with POST …/resolve and the `apply` body. Cached ' +
          'per conflict, so asking again costs nothing.',
        responses: {
          '200': response('The suggestion', ref('ConflictSuggestion')),
          ...errors('400', '404', '409'),
        },
      },
    },
  };
}
