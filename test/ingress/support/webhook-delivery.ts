import { createHmac, randomUUID } from 'node:crypto';

export const TEST_SECRET = 'test-webhook-secret';

export interface WebhookDeliveryOptions {
  event?: string;
  payload?: unknown;
  /** Raw body instead of JSON.stringify(payload). */
  body?: Buffer | string;
  secret?: string | null;
  deliveryId?: string;
  hookId?: string;
  contentType?: 'application/json' | 'application/x-www-form-urlencoded' | string;
  headers?: Record<string, string | undefined>;
}

export function signBody(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A delivery as GitHub sends it: headers and raw body, signed over the raw bytes. */
export function webhookDelivery(options: WebhookDeliveryOptions = {}) {
  const contentType = options.contentType ?? 'application/json';
  const json = JSON.stringify(options.payload ?? { zen: 'Keep it logically awesome.', hook_id: 1 });
  const raw =
    options.body ??
    (contentType === 'application/x-www-form-urlencoded'
      ? new URLSearchParams({ payload: json }).toString()
      : json);
  const body = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
  const secret = options.secret === undefined ? TEST_SECRET : options.secret;
  const deliveryId = options.deliveryId ?? randomUUID();
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-github-event': options.event ?? 'ping',
    'x-github-delivery': deliveryId,
    'x-github-hook-id': options.hookId ?? '4242',
    'x-github-hook-installation-target-type': 'repository',
    'x-github-hook-installation-target-id': '99',
    'user-agent': 'GitHub-Hookshot/test',
  };
  if (secret !== null) headers['x-hub-signature-256'] = signBody(secret, body);
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return { headers, body, deliveryId };
}

export interface PushOptions {
  repo?: string;
  messages?: string[];
  ref?: string;
}

/** A push payload (the shape the worker reads) with one commit per message. */
export function pushPayload(options: PushOptions = {}) {
  const fullName = options.repo ?? 'octo-org/architecture';
  const [owner, name] = fullName.split('/');
  const commits = (options.messages ?? ['Update payments service']).map((message, i) => ({
    id: `${String(i + 1).padStart(2, '0')}${'a'.repeat(38)}`,
    tree_id: 'b'.repeat(40),
    distinct: true,
    message,
    timestamp: '2025-01-01T00:00:00Z',
    url: `https://github.com/${fullName}/commit/${i}`,
    author: { name: 'Mona', email: 'mona@example.com', username: 'mona' },
    committer: { name: 'Mona', email: 'mona@example.com', username: 'mona' },
    added: [],
    modified: ['architecture/definitions/payments.yaml'],
    removed: [],
  }));
  return {
    ref: options.ref ?? 'refs/heads/main',
    before: '0'.repeat(40),
    after: commits.at(-1)?.id ?? '1'.repeat(40),
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${fullName}/compare`,
    commits,
    head_commit: commits.at(-1) ?? null,
    repository: {
      id: 1,
      name,
      full_name: fullName,
      private: false,
      owner: { login: owner, id: 2, type: 'Organization', avatar_url: 'x' },
      default_branch: 'main',
      stargazers_count: 0,
    },
    pusher: { name: 'mona', email: 'mona@example.com' },
    sender: { login: 'mona', id: 3, type: 'User' },
    installation: { id: 77, node_id: 'X' },
  };
}
