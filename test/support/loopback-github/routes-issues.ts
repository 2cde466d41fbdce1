import { issue, issueComment } from './payloads.ts';
import { bodyOf, notFound, type Route } from './route-types.ts';

/** Listing, editing and commenting on issues (opening one is in routes-collab.ts). */
export function issueRoutes(): Route[] {
  const find = (req: Parameters<Route['handle']>[0]) => {
    const found = req.repo.issues.find((i) => i.number === Number(req.params.issue_number));
    if (!found) throw notFound();
    return found;
  };
  return [
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/issues',
      handle: (req) => {
        const state = req.query.get('state') ?? 'open';
        const labels = (req.query.get('labels') ?? '').split(',').filter(Boolean);
        const perPage = Number(req.query.get('per_page') ?? 30);
        const found = req.repo.issues
          .filter((i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l)))
          .sort((a, b) => b.number - a.number)
          .slice(0, perPage);
        return { status: 200, body: found.map((i) => issue(req.base, req.repo, i)) };
      },
    },
    {
      method: 'PATCH',
      template: '/repos/{owner}/{repo}/issues/{issue_number}',
      handle: (req) => {
        const body = bodyOf(req);
        const record = find(req);
        const at = req.now().toISOString();
        if (typeof body.title === 'string') record.title = body.title;
        if (typeof body.body === 'string') record.body = body.body;
        if (body.state === 'open' || body.state === 'closed') {
          record.closedAt = body.state === 'closed' ? at : null;
          record.state = body.state;
        }
        record.updatedAt = at;
        return { status: 200, body: issue(req.base, req.repo, record) };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      handle: (req) => {
        const body = bodyOf(req);
        const record = find(req);
        const comment = {
          id: req.repo.allocateId(),
          body: String(body.body),
          createdAt: req.now().toISOString(),
        };
        record.comments = [...(record.comments ?? []), comment];
        return {
          status: 201,
          body: issueComment(req.base, req.repo, record, comment),
          headers: { location: `${req.base}/repos/${req.repo.fullName}/issues/comments/${comment.id}` },
        };
      },
    },
  ];
}
