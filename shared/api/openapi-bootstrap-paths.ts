import { BODY_ERRORS, errors, jsonBody, pathParam, ref, response } from './openapi-helpers.ts';

/** Bootstrapping a link's definitions from its repository (an asynchronous job, one per link at a time). */
export function bootstrapPaths(): Record<string, object> {
  return {
    '/api/v1/links/{id}/bootstrap': {
      post: {
        operationId: 'startBootstrap',
        summary: 'Propose definitions for a repository that has none, as a pull request',
        description:
          'Reads the README, manifests (package.json, pyproject.toml, go.mod, pom.xml, Dockerfile, compose, ' +
          'Cloud Run and Kubernetes manifests) and the folders under services/, within limits (300 files, ' +
          '256 KiB each, 4 MiB in all; what is left out is listed in `skipped`), and opens a pull request on ' +
          '`bridge-bootstrap/<link>`. A configured AI provider enriches descriptions, layers and dependencies ' +
          'unless `model` is false. 409 when the repository already has definitions or a bootstrap is running.',
        parameters: [pathParam('id')],
        requestBody: jsonBody(ref('BootstrapBody')),
        responses: {
          '202': response('Queued', ref('BootstrapJob')),
          ...errors(...BODY_ERRORS, '403', '404', '409'),
        },
      },
      get: {
        operationId: 'getBootstrap',
        summary:
          'The link’s bootstrap job: status, progress (files read, services found, model calls, cost), events in order',
        parameters: [pathParam('id')],
        responses: {
          '200': response('Job', ref('BootstrapJob')),
          '204': response('The link never had a bootstrap job'),
          ...errors('404'),
        },
      },
    },
    '/api/v1/links/{id}/bootstrap/cancel': {
      post: {
        operationId: 'cancelBootstrap',
        summary: 'Cancel the link’s bootstrap: a queued one at once, a running one before it writes anything',
        parameters: [pathParam('id')],
        responses: {
          '202': response('Cancelled or cancelling', ref('BootstrapJob')),
          ...errors('404', '409'),
        },
      },
    },
  };
}
