import { repository } from './payloads.ts';
import type { Route } from './route-types.ts';

/**
 * `GET /repos/{owner}/{repo}`: the repository plus, for a user or token, the caller's `permissions`
 * (GitHub includes them for an authenticated user; a PAT here reaches everything). Access checks
 * ask it what a user's token may do.
 */
export function repoRoutes(): Route[] {
  return [
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}',
      handle: (req) => {
        const auth = req.auth;
        const level = auth.kind === 'user' ? auth.permission : auth.kind === 'token' ? 'admin' : undefined;
        const body = {
          ...repository(req.base, req.repo),
          has_discussions: false,
          network_count: 0,
          subscribers_count: 0,
          ...(level
            ? {
                permissions: {
                  admin: level === 'admin',
                  maintain: level === 'admin',
                  push: level !== 'pull',
                  triage: level !== 'pull',
                  pull: true,
                },
              }
            : {}),
        };
        return { status: 200, body };
      },
    },
  ];
}
