import { BODY_ERRORS, errors, jsonBody, pathParam, ref, response } from './openapi-helpers.ts';

/** Notification subscriptions (the caller's tenant). */
export function notificationPaths(): Record<string, object> {
  return {
    '/api/v1/notifications/subscriptions': {
      get: {
        operationId: 'listNotificationSubscriptions',
        summary: 'The tenant’s notification subscriptions (no URL or key is shown)',
        responses: {
          '200': response('Subscriptions', {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: ref('NotificationSubscription') } },
          }),
          ...errors(),
        },
      },
      post: {
        operationId: 'createNotificationSubscription',
        summary: 'Subscribe a Slack incoming webhook, a signed webhook or a GitHub issue to a link’s events',
        description:
          'Events: sync-failed, conflict-opened, removal-pending, drift-found, health-degraded, health-recovered, ' +
          'credentials-rejected, ai-usage (80/90/100 % of the AI quota or budget; all by default). Each condition notifies once. A webhook is signed with ' +
          'HMAC-SHA256 in `X-Bridge-Signature-256: sha256=<hex>`; without `secret` a key is generated and ' +
          'returned once as `secret`. URLs must be https and public.',
        requestBody: jsonBody(ref('CreateSubscriptionBody')),
        responses: {
          '201': response('Created', ref('NotificationSubscription')),
          ...errors(...BODY_ERRORS, '404', '409'),
        },
      },
    },
    '/api/v1/notifications/subscriptions/{id}': {
      get: {
        operationId: 'getNotificationSubscription',
        summary: 'One subscription, with its last delivery',
        parameters: [pathParam('id')],
        responses: { '200': response('Subscription', ref('NotificationSubscription')), ...errors('404') },
      },
      delete: {
        operationId: 'deleteNotificationSubscription',
        summary: 'Stop a subscription',
        parameters: [pathParam('id')],
        responses: { '204': response('Deleted'), ...errors('404') },
      },
    },
    '/api/v1/notifications/subscriptions/{id}/test': {
      post: {
        operationId: 'testNotificationSubscription',
        summary: 'Send a test message through the same path as real ones',
        parameters: [pathParam('id')],
        responses: {
          '202': response('Queued', {
            type: 'object',
            required: ['queued', 'messageId'],
            properties: { queued: { type: 'boolean' }, messageId: { type: 'string' } },
          }),
          ...errors('404'),
        },
      },
    },
  };
}
