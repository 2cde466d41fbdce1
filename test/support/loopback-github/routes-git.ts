import { GitStoreError, type TreeChange } from './git-store.ts';
import { blob, gitCommit, gitRef, gitTree } from './payloads.ts';
import { bodyOf, notFound, type Route, type RouteRequest, unprocessable } from './route-types.ts';

/** Git Data API routes: refs, trees, commits, blobs (https://docs.github.com/rest/git). */
export function gitRoutes(options: { treeEntryLimit: number }): Route[] {
  const fullRef = (ref: string) => (ref.startsWith('refs/') ? ref : `refs/${ref}`);
  const signature = (req: RouteRequest, given: unknown) => {
    const g = (given ?? {}) as { name?: string; email?: string; date?: string };
    return {
      name: g.name ?? 'bridge-bot[bot]',
      email: g.email ?? 'bridge-bot[bot]@users.noreply.example.test',
      date:
        g.date ??
        req
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
    };
  };
  const wrapGitErrors = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof GitStoreError) throw unprocessable(err.message);
      throw err;
    }
  };

  return [
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/git/ref/{ref}',
      handle: (req) => {
        const ref = fullRef(req.params.ref!);
        const sha = req.repo.refMap.get(ref);
        if (!sha) throw notFound();
        return { status: 200, body: gitRef(req.base, req.repo, ref, sha) };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/git/trees/{tree_sha}',
      handle: (req) => {
        const sha = req.repo.resolve(req.params.tree_sha!);
        const tree = sha ? req.repo.git.peelToTree(sha) : undefined;
        if (!tree) throw notFound();
        const recursive = req.query.has('recursive');
        const entries = recursive
          ? req.repo.git.listRecursive(tree)
          : req.repo.git.trees.get(tree)!.map((e) => ({ ...e, path: e.name }));
        const truncated = entries.length > options.treeEntryLimit;
        const listed = truncated ? entries.slice(0, options.treeEntryLimit) : entries;
        return { status: 200, body: gitTree(req.base, req.repo, tree, listed, truncated) };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
      handle: (req) => {
        const c = req.repo.git.commits.get(req.params.commit_sha!);
        if (!c) throw notFound();
        return { status: 200, body: gitCommit(req.base, req.repo, c) };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
      handle: (req) => {
        const content = req.repo.git.blobs.get(req.params.file_sha!);
        if (!content) throw notFound();
        return { status: 200, body: blob(req.base, req.repo, req.params.file_sha!, content) };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/git/trees',
      handle: (req) => {
        const body = bodyOf(req);
        const baseTree = body.base_tree as string | undefined;
        if (baseTree !== undefined && !req.repo.git.trees.has(baseTree)) {
          throw unprocessable('Invalid tree info');
        }
        const changes = body.tree as TreeChange[];
        for (const c of changes) {
          if (c.content !== undefined && c.sha !== undefined) {
            throw unprocessable(
              'Must supply either tree.sha or tree.content. Request will be rejected if both are present.',
            );
          }
        }
        const sha = wrapGitErrors(() => req.repo.git.applyChanges(baseTree, changes));
        const entries = req.repo.git.trees.get(sha)!.map((e) => ({ ...e, path: e.name }));
        return {
          status: 201,
          body: gitTree(req.base, req.repo, sha, entries, false),
          headers: { location: `${req.base}/repos/${req.repo.fullName}/git/trees/${sha}` },
        };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/git/commits',
      handle: (req) => {
        const body = bodyOf(req);
        const tree = String(body.tree);
        if (!req.repo.git.trees.has(tree)) throw unprocessable('Tree SHA does not exist');
        const parents = (body.parents as string[] | undefined) ?? [];
        for (const p of parents) {
          if (!req.repo.git.commits.has(p)) {
            throw unprocessable('Parent SHA does not exist or is not a commit object');
          }
        }
        const author = signature(req, body.author);
        const sha = req.repo.git.writeCommit({
          tree,
          parents,
          message: String(body.message),
          author,
          committer: body.committer ? signature(req, body.committer) : author,
        });
        return {
          status: 201,
          body: gitCommit(req.base, req.repo, req.repo.git.commits.get(sha)!),
          headers: { location: `${req.base}/repos/${req.repo.fullName}/git/commits/${sha}` },
        };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/git/refs',
      handle: (req) => {
        const body = bodyOf(req);
        const ref = String(body.ref);
        const sha = String(body.sha);
        if (!/^refs\/[^/]+\/.+/.test(ref)) {
          throw unprocessable("ref must start with 'refs' and have at least two slashes.");
        }
        if (!req.repo.git.typeOf(sha)) throw unprocessable('Object does not exist');
        if (req.repo.refMap.has(ref)) throw unprocessable('Reference already exists');
        req.repo.refMap.set(ref, sha);
        return {
          status: 201,
          body: gitRef(req.base, req.repo, ref, sha),
          headers: { location: `${req.base}/repos/${req.repo.fullName}/git/${ref}` },
        };
      },
    },
    {
      method: 'PATCH',
      template: '/repos/{owner}/{repo}/git/refs/{ref}',
      handle: (req) => {
        const body = bodyOf(req);
        const ref = fullRef(req.params.ref!);
        const sha = String(body.sha);
        const current = req.repo.refMap.get(ref);
        if (!current) throw unprocessable('Reference does not exist');
        if (!req.repo.git.commits.has(sha)) throw unprocessable('Object does not exist');
        if (body.force !== true && !req.repo.git.isAncestor(current, sha)) {
          throw unprocessable('Update is not a fast forward');
        }
        req.repo.refMap.set(ref, sha);
        return { status: 200, body: gitRef(req.base, req.repo, ref, sha) };
      },
    },
  ];
}
