import { Octokit } from '@octokit/rest';
import { definitionPath } from '../shared/domain/index.ts';
import { startLoopbackGithub } from '../test/support/loopback-github/index.ts';
import { benchRepoFiles, GITHUB_TOKEN, REPO, withVersion } from './lib/sync-fixture.ts';

export interface ContentsApiCalls {
  /** Every request the per-file approach made: 1 ref read + 1 recursive tree read + N PUTs. */
  calls: number;
  commits: number;
}

/**
 * The per-file baseline, done for real against the loopback GitHub with Octokit: the blob shas every
 * `PUT /repos/{o}/{r}/contents/{path}` needs come from one ref read and one recursive tree read (the
 * cheapest a per-file client can do; reading each file with GET contents would add N more), then one
 * PUT — one commit — per changed file.
 */
export async function runContentsApiBaseline(sizes: number[]): Promise<Record<string, ContentsApiCalls>> {
  const extra = Math.max(...sizes);
  const out: Record<string, ContentsApiCalls> = {};
  const [owner, repoName] = REPO.split('/') as [string, string];
  for (const n of sizes) {
    const github = await startLoopbackGithub({
      repos: { [REPO]: { files: benchRepoFiles(extra) } },
      auth: { tokens: [GITHUB_TOKEN] },
      validate: false,
    });
    try {
      const octokit = new Octokit({ auth: GITHUB_TOKEN, baseUrl: github.url, log: quietLog });
      const repo = github.repo(REPO);
      const commitsBefore = repo.commits('main').length;
      const requestsBefore = github.requests.length;
      const ref = await octokit.rest.git.getRef({ owner, repo: repoName, ref: 'heads/main' });
      const tree = await octokit.rest.git.getTree({
        owner,
        repo: repoName,
        tree_sha: ref.data.object.sha,
        recursive: 'true',
      });
      const shas = new Map(tree.data.tree.map((e) => [e.path ?? '', e.sha ?? '']));
      const files = repo.files('main');
      for (let i = 0; i < n; i++) {
        const path = definitionPath(`svc-${i}`);
        await octokit.rest.repos.createOrUpdateFileContents({
          owner,
          repo: repoName,
          path,
          branch: 'main',
          message: `Update ${path}`,
          content: Buffer.from(withVersion(files[path] ?? '', '9.9.9')).toString('base64'),
          sha: shas.get(path) ?? '',
        });
      }
      const failed = github.requests.slice(requestsBefore).filter((r) => r.status >= 300);
      if (failed.length > 0) throw new Error(`contents API baseline: ${failed.length} requests failed`);
      out[String(n)] = {
        calls: github.requests.length - requestsBefore,
        commits: repo.commits('main').length - commitsBefore,
      };
    } finally {
      await github.close();
    }
  }
  return out;
}

const quietLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
