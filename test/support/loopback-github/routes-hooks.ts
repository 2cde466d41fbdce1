import { bodyOf, notFound, type Route, type RouteRequest, unprocessable } from './route-types.ts';

/** A repository webhook as the loopback keeps it (the secret in clear, as GitHub does internally). */
export interface HookRecord {
  id: number;
  active: boolean;
  events: string[];
  config: { url: string; content_type: string; insecure_ssl: string; secret?: string };
  createdAt: string;
  updatedAt: string;
  /** GitHub's `last_response` (default: never used); a test sets it to a failed delivery. */
  lastResponse?: { code: number | null; status: string; message: string | null };
}

/** GitHub's `hook` schema; like GitHub, the secret is shown masked. */
function hookBody(req: RouteRequest, h: HookRecord) {
  const url = `${req.base}/repos/${req.repo.fullName}/hooks/${h.id}`;
  const { secret, ...config } = h.config;
  return {
    type: 'Repository',
    id: h.id,
    name: 'web',
    active: h.active,
    events: h.events,
    config: { ...config, ...(secret ? { secret: '********' } : {}) },
    updated_at: h.updatedAt,
    created_at: h.createdAt,
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: h.lastResponse ?? { code: null, status: 'unused', message: null },
  };
}

/** List, create, reconfigure and delete repository webhooks (`/repos/{owner}/{repo}/hooks`). */
export function hooksRoutes(): Route[] {
  return [
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/hooks',
      handle: (req) => ({ status: 200, body: req.repo.hooks.map((h) => hookBody(req, h)) }),
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/hooks',
      handle: (req) => {
        const body = bodyOf(req);
        const config = (body.config ?? {}) as Record<string, unknown>;
        const url = config.url;
        if (typeof url !== 'string' || url === '') {
          throw unprocessable('Validation Failed', {
            errors: [{ resource: 'Hook', code: 'custom', message: 'url is required' }],
          });
        }
        if (req.repo.hooks.some((h) => h.config.url === url)) {
          throw unprocessable('Validation Failed', {
            errors: [{ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' }],
          });
        }
        const at = req.now().toISOString();
        const record: HookRecord = {
          id: req.repo.allocateId(),
          active: body.active !== false,
          events: (body.events as string[] | undefined) ?? ['push'],
          config: {
            url,
            content_type: typeof config.content_type === 'string' ? config.content_type : 'form',
            insecure_ssl: typeof config.insecure_ssl === 'string' ? config.insecure_ssl : '0',
            ...(typeof config.secret === 'string' ? { secret: config.secret } : {}),
          },
          createdAt: at,
          updatedAt: at,
        };
        req.repo.hooks.push(record);
        return {
          status: 201,
          body: hookBody(req, record),
          headers: { location: `${req.base}/repos/${req.repo.fullName}/hooks/${record.id}` },
        };
      },
    },
    {
      // Only the fields given change (`repos/update-webhook-config-for-repo`).
      method: 'PATCH',
      template: '/repos/{owner}/{repo}/hooks/{hook_id}/config',
      handle: (req) => {
        const hook = req.repo.hooks.find((h) => h.id === Number(req.params.hook_id));
        if (!hook) throw notFound();
        const body = bodyOf(req);
        for (const key of ['url', 'content_type', 'secret', 'insecure_ssl'] as const) {
          const value = body[key];
          if (typeof value === 'string') hook.config[key] = value;
        }
        hook.updatedAt = req.now().toISOString();
        const { secret, ...config } = hook.config;
        return { status: 200, body: { ...config, ...(secret ? { secret: '********' } : {}) } };
      },
    },
    {
      method: 'DELETE',
      template: '/repos/{owner}/{repo}/hooks/{hook_id}',
      handle: (req) => {
        const id = Number(req.params.hook_id);
        const index = req.repo.hooks.findIndex((h) => h.id === id);
        if (index < 0) throw notFound();
        req.repo.hooks.splice(index, 1);
        return { status: 204 };
      },
    },
  ];
}
