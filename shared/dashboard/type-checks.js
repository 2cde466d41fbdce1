// @ts-check
/*
 * Checks that the page's type check keeps its teeth: each line below must fail it, or the
 * `@ts-expect-error` above it is unused and `npm run typecheck` fails. Never served or run.
 */

/**
 * @param {typeof import('./assets/api.js').api} api
 * @param {import('./api-types.ts').Link} link
 * @param {import('./api-types.ts').Operation} op
 */
export async function typeChecks(api, link, op) {
  // @ts-expect-error an answer nobody declared a type for is unknown, not any
  (await api('/api/v1/links/x')).id;
  // @ts-expect-error a field the API does not send
  link.lastSyncAt;
  // @ts-expect-error a value the API never gives
  if (op.status === 'done') return;
  /** @type {import('./api-types.ts').SyncRequest} */
  // @ts-expect-error a body the API refuses
  const body = { direction: 'sideways' };
  return body;
}
