import type { CommitObject, TreeEntry } from './git-store.ts';
import type { IssueRecord, LoopbackRepo, PullRecord, StatusRecord } from './loopback-repo.ts';

/**
 * Response bodies in GitHub's REST shapes. Every field the OpenAPI schema requires is present (the
 * validator checks each response), with URLs pointing at the loopback server itself.
 */
const T0 = '2024-01-01T00:00:00Z';

export function user(base: string, login: string, id = 1, type = 'User') {
  const u = `${base}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `${base}/avatars/${encodeURIComponent(login)}`,
    gravatar_id: '',
    url: u,
    html_url: `${base}/${encodeURIComponent(login)}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type,
    site_admin: false,
  };
}

export const botUser = (base: string) => user(base, 'bridge-bot[bot]', 9000, 'Bot');

export function repository(base: string, repo: LoopbackRepo) {
  const u = `${base}/repos/${repo.fullName}`;
  const templated = (name: string, suffix: string) => [`${name}_url`, `${u}/${suffix}`] as const;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    owner: user(base, repo.owner, 1, 'Organization'),
    private: true,
    html_url: `${base}/${repo.fullName}`,
    description: null,
    fork: false,
    url: u,
    ...Object.fromEntries([
      templated('archive', '{archive_format}{/ref}'),
      templated('assignees', 'assignees{/user}'),
      templated('blobs', 'git/blobs{/sha}'),
      templated('branches', 'branches{/branch}'),
      templated('collaborators', 'collaborators{/collaborator}'),
      templated('comments', 'comments{/number}'),
      templated('commits', 'commits{/sha}'),
      templated('compare', 'compare/{base}...{head}'),
      templated('contents', 'contents/{+path}'),
      templated('contributors', 'contributors'),
      templated('deployments', 'deployments'),
      templated('downloads', 'downloads'),
      templated('events', 'events'),
      templated('forks', 'forks'),
      templated('git_commits', 'git/commits{/sha}'),
      templated('git_refs', 'git/refs{/sha}'),
      templated('git_tags', 'git/tags{/sha}'),
      templated('issue_comment', 'issues/comments{/number}'),
      templated('issue_events', 'issues/events{/number}'),
      templated('issues', 'issues{/number}'),
      templated('keys', 'keys{/key_id}'),
      templated('labels', 'labels{/name}'),
      templated('languages', 'languages'),
      templated('merges', 'merges'),
      templated('milestones', 'milestones{/number}'),
      templated('notifications', 'notifications{?since,all,participating}'),
      templated('pulls', 'pulls{/number}'),
      templated('releases', 'releases{/id}'),
      templated('stargazers', 'stargazers'),
      templated('statuses', 'statuses/{sha}'),
      templated('subscribers', 'subscribers'),
      templated('subscription', 'subscription'),
      templated('tags', 'tags'),
      templated('teams', 'teams'),
      templated('trees', 'git/trees{/sha}'),
      templated('hooks', 'hooks'),
    ]),
    git_url: `git://loopback/${repo.fullName}.git`,
    ssh_url: `git@loopback:${repo.fullName}.git`,
    clone_url: `${base}/${repo.fullName}.git`,
    svn_url: `${base}/${repo.fullName}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: T0,
    created_at: T0,
    updated_at: T0,
  };
}

export function gitRef(base: string, repo: LoopbackRepo, ref: string, sha: string) {
  return {
    ref,
    node_id: `REF_${Buffer.from(`${repo.fullName}:${ref}`).toString('base64url')}`,
    url: `${base}/repos/${repo.fullName}/git/${ref}`,
    object: { type: 'commit', sha, url: `${base}/repos/${repo.fullName}/git/commits/${sha}` },
  };
}

export function gitTree(
  base: string,
  repo: LoopbackRepo,
  sha: string,
  entries: Array<TreeEntry & { path: string }>,
  truncated: boolean,
) {
  const u = `${base}/repos/${repo.fullName}/git`;
  return {
    sha,
    url: `${u}/trees/${sha}`,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === 'blob'
        ? { size: repo.git.blobs.get(e.sha)?.length ?? 0, url: `${u}/blobs/${e.sha}` }
        : { url: `${u}/trees/${e.sha}` }),
    })),
    truncated,
  };
}

export function gitCommit(base: string, repo: LoopbackRepo, c: CommitObject) {
  const u = `${base}/repos/${repo.fullName}/git`;
  return {
    sha: c.sha,
    node_id: `C_${c.sha}`,
    url: `${u}/commits/${c.sha}`,
    html_url: `${base}/${repo.fullName}/commit/${c.sha}`,
    author: c.author,
    committer: c.committer,
    message: c.message,
    tree: { sha: c.tree, url: `${u}/trees/${c.tree}` },
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${u}/commits/${p}`,
      html_url: `${base}/${repo.fullName}/commit/${p}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

export function blob(base: string, repo: LoopbackRepo, sha: string, content: Buffer) {
  return {
    sha,
    node_id: `B_${sha}`,
    url: `${base}/repos/${repo.fullName}/git/blobs/${sha}`,
    size: content.length,
    content: content.toString('base64'),
    encoding: 'base64',
  };
}

function links(base: string, repo: LoopbackRepo, n: number) {
  const api = `${base}/repos/${repo.fullName}`;
  return {
    self: { href: `${api}/pulls/${n}` },
    html: { href: `${base}/${repo.fullName}/pull/${n}` },
    issue: { href: `${api}/issues/${n}` },
    comments: { href: `${api}/issues/${n}/comments` },
    review_comments: { href: `${api}/pulls/${n}/comments` },
    review_comment: { href: `${api}/pulls/comments{/number}` },
    commits: { href: `${api}/pulls/${n}/commits` },
    statuses: { href: `${api}/statuses/${repo.head(repo.defaultBranch)}` },
  };
}

/** `pull-request-simple` (list); `full` adds the fields of `pull-request` (create, update). */
export function pullRequest(base: string, repo: LoopbackRepo, p: PullRecord, full: boolean) {
  const api = `${base}/repos/${repo.fullName}`;
  const side = (ref: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha: repo.head(ref) ?? '0'.repeat(40),
    user: user(base, repo.owner, 1, 'Organization'),
    repo: repository(base, repo),
  });
  const simple = {
    url: `${api}/pulls/${p.number}`,
    id: p.id,
    node_id: `PR_${p.id}`,
    html_url: `${base}/${repo.fullName}/pull/${p.number}`,
    diff_url: `${base}/${repo.fullName}/pull/${p.number}.diff`,
    patch_url: `${base}/${repo.fullName}/pull/${p.number}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    commits_url: `${api}/pulls/${p.number}/commits`,
    review_comments_url: `${api}/pulls/${p.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${p.number}/comments`,
    statuses_url: `${api}/statuses/${repo.head(p.head) ?? ''}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: botUser(base),
    body: p.body,
    labels: [],
    milestone: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    head: side(p.head),
    base: side(p.base),
    _links: links(base, repo, p.number),
    author_association: 'NONE' as const,
    auto_merge: null,
    draft: false,
  };
  if (!full) return simple;
  return {
    ...simple,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

export function issue(base: string, repo: LoopbackRepo, i: IssueRecord) {
  const api = `${base}/repos/${repo.fullName}`;
  return {
    id: i.id,
    node_id: `I_${i.id}`,
    url: `${api}/issues/${i.number}`,
    repository_url: api,
    labels_url: `${api}/issues/${i.number}/labels{/name}`,
    comments_url: `${api}/issues/${i.number}/comments`,
    events_url: `${api}/issues/${i.number}/events`,
    html_url: `${base}/${repo.fullName}/issues/${i.number}`,
    number: i.number,
    state: i.state,
    title: i.title,
    body: i.body,
    user: botUser(base),
    labels: i.labels.map((name, k) => ({
      id: 5000 + k,
      node_id: `LA_${k}`,
      url: `${api}/labels/${encodeURIComponent(name)}`,
      name,
      description: null,
      color: 'ededed',
      default: false,
    })),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: 0,
    closed_at: null,
    created_at: i.createdAt,
    updated_at: i.createdAt,
    author_association: 'NONE' as const,
  };
}

export function status(base: string, repo: LoopbackRepo, s: StatusRecord) {
  return {
    url: `${base}/repos/${repo.fullName}/statuses/${s.sha}`,
    avatar_url: null,
    id: s.id,
    node_id: `SC_${s.id}`,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: botUser(base),
  };
}

export function installation(base: string, repo: LoopbackRepo, appId: number) {
  return {
    id: repo.installationId,
    account: user(base, repo.owner, 1, 'Organization'),
    repository_selection: 'all' as const,
    access_tokens_url: `${base}/app/installations/${repo.installationId}/access_tokens`,
    repositories_url: `${base}/installation/repositories`,
    html_url: `${base}/organizations/${repo.owner}/settings/installations/${repo.installationId}`,
    app_id: appId,
    app_slug: 'integration-bridge',
    target_id: 1,
    target_type: 'Organization',
    permissions: { contents: 'write', pull_requests: 'write', issues: 'write', statuses: 'write' },
    events: ['push'],
    created_at: T0,
    updated_at: T0,
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  };
}
