import { gitCommit } from './payloads.ts';
import { bodyOf, GithubHttpError, type Route, unprocessable } from './route-types.ts';

/**
 * `PUT /repos/{owner}/{repo}/contents/{path}`: one commit per file, the way a naive client writes.
 * The provider never uses it; benchmarks use it as the per-file baseline to compare call counts.
 */
export function contentsRoutes(): Route[] {
  return [
    {
      method: 'PUT',
      template: '/repos/{owner}/{repo}/contents/{path}',
      handle: (req) => {
        const body = bodyOf(req);
        const path = req.params.path!;
        const branch = (body.branch as string | undefined) ?? req.repo.defaultBranch;
        const head = req.repo.head(branch);
        if (!head) throw new GithubHttpError(404, `Branch ${branch} not found`);
        const existing = req.repo.git.flatten(req.repo.git.peelToTree(head)!).get(path);
        if (existing && body.sha === undefined)
          throw unprocessable('Invalid request.\n\n"sha" wasn\'t supplied.');
        if (existing && body.sha !== existing.sha) {
          throw new GithubHttpError(409, `${path} does not match ${String(body.sha)}`);
        }
        const content = Buffer.from(String(body.content), 'base64').toString('utf8');
        const sha = req.repo.commitFiles(branch, { [path]: content }, String(body.message));
        const blobSha = req.repo.git.writeBlob(content);
        const url = `${req.base}/repos/${req.repo.fullName}/contents/${path}?ref=${branch}`;
        return {
          status: existing ? 200 : 201,
          body: {
            content: {
              name: path.split('/').at(-1),
              path,
              sha: blobSha,
              size: Buffer.byteLength(content),
              url,
              html_url: `${req.base}/${req.repo.fullName}/blob/${branch}/${path}`,
              git_url: `${req.base}/repos/${req.repo.fullName}/git/blobs/${blobSha}`,
              download_url: `${req.base}/raw/${req.repo.fullName}/${branch}/${path}`,
              type: 'file',
              _links: {
                self: url,
                git: `${req.base}/repos/${req.repo.fullName}/git/blobs/${blobSha}`,
                html: url,
              },
            },
            commit: gitCommit(req.base, req.repo, req.repo.git.commits.get(sha)!),
          },
        };
      },
    },
  ];
}
