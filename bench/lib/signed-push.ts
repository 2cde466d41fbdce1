import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown> & { ref?: string }>;
}

/** A real branch push from `@octokit/webhooks-examples` (one commit on refs/heads/master, ~7.6 KB). */
export function examplePushBody(): string {
  const groups = require('@octokit/webhooks-examples') as ExampleGroup[];
  const push = groups.find((g) => g.name === 'push')?.examples.find((e) => e.ref?.startsWith('refs/heads/'));
  if (!push) throw new Error('@octokit/webhooks-examples has no branch push example');
  return JSON.stringify(push);
}

/** `X-Hub-Signature-256` for a body, as GitHub computes it. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Headers of a signed push delivery; `deliveryId` defaults to autocannon's per-request id placeholder. */
export function pushHeaders(body: string, secret: string, deliveryId = '[<id>]'): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-github-delivery': deliveryId,
    'x-github-hook-id': '424242',
    'x-hub-signature-256': signBody(body, secret),
  };
}
