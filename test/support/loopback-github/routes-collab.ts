import { issue, pullRequest, status } from './payloads.ts';
import { bodyOf, notFound, type Route, unprocessable } from './route-types.ts';

/** Pull requests, issues and commit statuses. Issues and pulls share one number sequence, as on GitHub. */
export function collabRoutes(): Route[] {
  return [
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/pulls',
      handle: (req) => {
        const state = req.query.get('state') ?? 'open';
        const head = req.query.get('head');
        const base = req.query.get('base');
        const pulls = req.repo.pulls.filter(
          (p) =>
            (state === 'all' || p.state === state) &&
            (!head || head === `${req.repo.owner}:${p.head}`) &&
            (!base || base === p.base),
        );
        return { status: 200, body: pulls.map((p) => pullRequest(req.base, req.repo, p, false)) };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/pulls',
      handle: (req) => {
        const body = bodyOf(req);
        const head = String(body.head).replace(new RegExp(`^${req.repo.owner}:`), '');
        const base = String(body.base);
        const invalid = (field: string) =>
          unprocessable('Validation Failed', {
            errors: [{ resource: 'PullRequest', field, code: 'invalid' }],
          });
        if (!req.repo.head(head)) throw invalid('head');
        if (!req.repo.head(base)) throw invalid('base');
        if (req.repo.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
          throw unprocessable('Validation Failed', {
            errors: [
              {
                resource: 'PullRequest',
                code: 'custom',
                message: `A pull request already exists for ${req.repo.owner}:${head}.`,
              },
            ],
          });
        }
        if (req.repo.head(head) === req.repo.head(base)) {
          throw unprocessable('Validation Failed', {
            errors: [
              { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` },
            ],
          });
        }
        const at = req.now().toISOString();
        const pull = {
          number: req.repo.allocateNumber(),
          id: req.repo.allocateId(),
          title: String(body.title ?? ''),
          body: (body.body as string | undefined) ?? null,
          head,
          base,
          state: 'open' as const,
          createdAt: at,
          updatedAt: at,
        };
        req.repo.pulls.push(pull);
        return { status: 201, body: pullRequest(req.base, req.repo, pull, true) };
      },
    },
    {
      method: 'PATCH',
      template: '/repos/{owner}/{repo}/pulls/{pull_number}',
      handle: (req) => {
        const body = bodyOf(req);
        const pull = req.repo.pulls.find((p) => p.number === Number(req.params.pull_number));
        if (!pull) throw notFound();
        if (typeof body.title === 'string') pull.title = body.title;
        if (typeof body.body === 'string') pull.body = body.body;
        if (body.state === 'open' || body.state === 'closed') pull.state = body.state;
        if (typeof body.base === 'string') pull.base = body.base;
        pull.updatedAt = req.now().toISOString();
        return { status: 200, body: pullRequest(req.base, req.repo, pull, true) };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/issues',
      handle: (req) => {
        const body = bodyOf(req);
        const labels = ((body.labels as Array<string | { name?: string }> | undefined) ?? []).map((l) =>
          typeof l === 'string' ? l : String(l.name),
        );
        const record = {
          number: req.repo.allocateNumber(),
          id: req.repo.allocateId(),
          title: String(body.title),
          body: (body.body as string | undefined) ?? null,
          labels,
          state: 'open' as const,
          createdAt: req.now().toISOString(),
        };
        req.repo.issues.push(record);
        return {
          status: 201,
          body: issue(req.base, req.repo, record),
          headers: { location: `${req.base}/repos/${req.repo.fullName}/issues/${record.number}` },
        };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/statuses/{sha}',
      handle: (req) => {
        const body = bodyOf(req);
        const sha = req.params.sha!;
        if (!req.repo.git.commits.has(sha)) throw unprocessable(`No commit found for SHA: ${sha}`);
        const record = {
          id: req.repo.allocateId(),
          sha,
          state: String(body.state),
          context: (body.context as string | undefined) ?? 'default',
          description: (body.description as string | undefined) ?? null,
          targetUrl: (body.target_url as string | undefined) ?? null,
          createdAt: req.now().toISOString(),
        };
        req.repo.statuses.push(record);
        return {
          status: 201,
          body: status(req.base, req.repo, record),
          headers: { location: `${req.base}/repos/${req.repo.fullName}/statuses/${sha}` },
        };
      },
    },
  ];
}
