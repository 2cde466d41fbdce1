/**
 * What the worker gets on `github-events`. Pub/Sub caps a message at 10 MB while GitHub sends up to
 * 25 MiB, so push payloads (the ones the sync acts on) are cut to the fields the worker reads, and
 * other events pass through whole only while they are small.
 */
export const PASS_THROUGH_LIMIT = 512 * 1024;
/** Past this size (UTF-8 bytes) the per-commit file lists are dropped (the worker then reads the tree itself). */
const FILE_LISTS_LIMIT = 4 * 1024 * 1024;
/**
 * Past this size the commits go too (the worker reads none of their fields: it compares trees), so a
 * message stays under the bus's cap (MAX_MESSAGE_BYTES, below Pub/Sub's 10 MB) with room for its attributes.
 */
const COMMITS_LIMIT = 8 * 1024 * 1024;
/** How much longer than its source text JSON.stringify can write a number (`1e20`: 4 → 21 characters). */
const MAX_NUMBER_GROWTH = 6;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function pick(source: unknown, keys: readonly string[]): Obj | undefined {
  if (!isObj(source)) return undefined;
  const out: Obj = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

const PERSON = ['name', 'email', 'username', 'login', 'id', 'type'] as const;

function trimRepository(repo: unknown): Obj | undefined {
  const out = pick(repo, ['id', 'node_id', 'name', 'full_name', 'private', 'html_url', 'default_branch']);
  if (out && isObj(repo)) {
    const owner = pick(repo.owner, PERSON);
    if (owner) out.owner = owner;
  }
  return out;
}

function trimCommit(commit: unknown, withFiles: boolean): Obj | undefined {
  const out = pick(commit, [
    'id',
    'tree_id',
    'distinct',
    'message',
    'timestamp',
    ...(withFiles ? ['added', 'modified', 'removed'] : []),
  ]);
  if (out && isObj(commit)) {
    const author = pick(commit.author, PERSON);
    const committer = pick(commit.committer, PERSON);
    if (author) out.author = author;
    if (committer) out.committer = committer;
  }
  return out;
}

/** The common envelope every trimmed event keeps. */
function envelope(payload: Obj): Obj {
  const out: Obj = {};
  if (typeof payload.action === 'string') out.action = payload.action;
  const repository = trimRepository(payload.repository);
  if (repository) out.repository = repository;
  const installation = pick(payload.installation, ['id', 'node_id']);
  if (installation) out.installation = installation;
  const organization = pick(payload.organization, ['login', 'id']);
  if (organization) out.organization = organization;
  const sender = pick(payload.sender, PERSON);
  if (sender) out.sender = sender;
  return out;
}

function trimPush(payload: Obj, withFiles: boolean): Obj {
  const out = envelope(payload);
  for (const k of ['ref', 'before', 'after', 'created', 'deleted', 'forced', 'base_ref', 'compare']) {
    if (payload[k] !== undefined) out[k] = payload[k];
  }
  const commits = Array.isArray(payload.commits) ? payload.commits : [];
  out.commits = commits.map((c) => trimCommit(c, withFiles)).filter((c) => c !== undefined);
  out.head_commit =
    payload.head_commit === null ? null : (trimCommit(payload.head_commit, withFiles) ?? null);
  const pusher = pick(payload.pusher, PERSON);
  if (pusher) out.pusher = pusher;
  if (!withFiles) out.truncated = true;
  return out;
}

const utf8Bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

export function trimPayload(event: string, payload: Obj, bodyBytes: number): Obj {
  if (event === 'push') {
    const full = trimPush(payload, true);
    // The trimmed text keeps a subset of the body's values, so it is no longer than the body but for
    // numbers, which JSON.stringify may write out longer (`1e20` becomes 21 digits, at most about 5
    // times as long): a body that small needs no measuring (stringifying costs 2 % of the webhook path).
    if (bodyBytes * MAX_NUMBER_GROWTH <= FILE_LISTS_LIMIT) return full;
    if (utf8Bytes(full) <= FILE_LISTS_LIMIT) return full;
    const lean = trimPush(payload, false);
    if (utf8Bytes(lean) <= COMMITS_LIMIT) return lean;
    const head = isObj(payload.head_commit)
      ? pick(payload.head_commit, ['id', 'tree_id', 'timestamp'])
      : null;
    return { ...lean, commits: [], head_commit: head ?? null };
  }
  if (bodyBytes <= PASS_THROUGH_LIMIT) return payload;
  const out: Obj = { ...envelope(payload), truncated: true };
  const pr = payload.pull_request;
  if (isObj(pr)) {
    const trimmed = pick(pr, ['number', 'state', 'merged', 'merge_commit_sha', 'html_url', 'title']) ?? {};
    for (const side of ['head', 'base'] as const) {
      const ref = pick(pr[side], ['ref', 'sha']);
      if (ref) trimmed[side] = ref;
    }
    out.pull_request = trimmed;
  }
  return out;
}
