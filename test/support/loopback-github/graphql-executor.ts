import type { GqlSelection, GqlValue } from './graphql-parser.ts';
import { parseGraphql } from './graphql-parser.ts';
import type { LoopbackRepo } from './loopback-repo.ts';

/**
 * Executes a parsed query against the loopback repositories. The schema is the part of GitHub's
 * GraphQL API the provider uses: `repository(owner, name)` with `object(oid | expression)`,
 * `ref(qualifiedName)`, `defaultBranchRef`; `Ref.target`; `Commit.oid/tree/message`;
 * `Tree.oid/entries`; `TreeEntry.name/path/type/mode/oid/object`;
 * `Blob.oid/text/isBinary/byteSize/isTruncated`; `rateLimit`; `__typename` everywhere.
 * An unknown field fails the whole query as GitHub's validation does (`errors`, no `data`).
 */
export interface GraphqlResult {
  data?: Record<string, unknown>;
  errors?: Array<{ type?: string; message: string; path?: string[] }>;
}

export interface GraphqlContext {
  findRepo(owner: string, name: string): LoopbackRepo | undefined;
  /** Blob text beyond this many bytes is cut and `isTruncated` is true. */
  blobTextLimit: number;
  rateLimit: () => { limit: number; remaining: number; resetAt: string };
}

type Resolved = { __typename: string; [field: string]: unknown };
type Resolver = (args: Record<string, unknown>) => unknown;

class FieldError extends Error {}

function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

function gitObject(repo: LoopbackRepo, sha: string, ctx: GraphqlContext): Resolved | null {
  const type = repo.git.typeOf(sha);
  if (type === 'blob') {
    const content = repo.git.blobs.get(sha)!;
    const binary = isBinary(content);
    return {
      __typename: 'Blob',
      oid: sha,
      byteSize: content.length,
      isBinary: binary,
      isTruncated: content.length > ctx.blobTextLimit,
      text: binary ? null : content.subarray(0, ctx.blobTextLimit).toString('utf8'),
    };
  }
  if (type === 'tree') {
    return {
      __typename: 'Tree',
      oid: sha,
      entries: () =>
        repo.git.trees.get(sha)!.map((e) => ({
          __typename: 'TreeEntry',
          name: e.name,
          path: e.name,
          type: e.type,
          mode: Number.parseInt(e.mode, 8),
          oid: e.sha,
          object: () => gitObject(repo, e.sha, ctx),
        })),
    };
  }
  if (type === 'commit') {
    const c = repo.git.commits.get(sha)!;
    return {
      __typename: 'Commit',
      oid: sha,
      message: c.message,
      committedDate: c.committer.date,
      tree: () => gitObject(repo, c.tree, ctx),
    };
  }
  return null;
}

/** `rev` or `rev:path`, as `git rev-parse` reads it. */
function resolveExpression(repo: LoopbackRepo, expression: string): string | undefined {
  const colon = expression.indexOf(':');
  const rev = colon === -1 ? expression : expression.slice(0, colon);
  let sha = repo.resolve(rev);
  if (!sha || colon === -1) return sha;
  sha = repo.git.peelToTree(sha);
  for (const part of expression
    .slice(colon + 1)
    .split('/')
    .filter(Boolean)) {
    const entry = sha ? repo.git.trees.get(sha)?.find((e) => e.name === part) : undefined;
    sha = entry?.sha;
  }
  return sha;
}

function refObject(repo: LoopbackRepo, qualifiedName: string, ctx: GraphqlContext): Resolved | null {
  const full = qualifiedName.startsWith('refs/') ? qualifiedName : `refs/heads/${qualifiedName}`;
  const sha = repo.refMap.get(full);
  if (!sha) return null;
  const prefix = /^refs\/[^/]+\//.exec(full)?.[0] ?? 'refs/';
  return {
    __typename: 'Ref',
    name: full.slice(prefix.length),
    prefix,
    target: () => gitObject(repo, sha, ctx),
  };
}

function repository(repo: LoopbackRepo, ctx: GraphqlContext): Resolved {
  return {
    __typename: 'Repository',
    id: `R_${repo.id}`,
    name: repo.name,
    nameWithOwner: repo.fullName,
    defaultBranchRef: () => refObject(repo, repo.defaultBranch, ctx),
    ref: ({ qualifiedName }: Record<string, unknown>) => refObject(repo, String(qualifiedName), ctx),
    object: ({ oid, expression }: Record<string, unknown>) => {
      const sha = typeof oid === 'string' ? oid : resolveExpression(repo, String(expression ?? ''));
      return sha ? gitObject(repo, sha, ctx) : null;
    },
  };
}

function argValue(v: GqlValue, variables: Record<string, unknown>): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => argValue(x, variables));
  if ('variable' in v) return variables[v.variable];
  if ('enum' in v) return v.enum;
  return Object.fromEntries(Object.entries(v.object).map(([k, x]) => [k, argValue(x, variables)]));
}

export function executeGraphql(
  query: string,
  variables: Record<string, unknown>,
  ctx: GraphqlContext,
): GraphqlResult {
  let operation: ReturnType<typeof parseGraphql>;
  try {
    operation = parseGraphql(query);
  } catch (err) {
    return { errors: [{ message: (err as Error).message }] };
  }
  if (operation.type !== 'query')
    return { errors: [{ message: 'The loopback server supports queries only' }] };
  const runtimeErrors: NonNullable<GraphqlResult['errors']> = [];

  const root: Resolved = {
    __typename: 'Query',
    repository: ({ owner, name }: Record<string, unknown>) => {
      const repo = ctx.findRepo(String(owner), String(name));
      if (!repo) {
        runtimeErrors.push({
          type: 'NOT_FOUND',
          message: `Could not resolve to a Repository with the name '${owner}/${name}'.`,
          path: ['repository'],
        });
        return null;
      }
      return repository(repo, ctx);
    },
    rateLimit: () => ({ __typename: 'RateLimit', cost: 1, ...ctx.rateLimit() }),
  };

  const select = (value: Resolved, selections: GqlSelection[], out: Record<string, unknown>) => {
    for (const s of selections) {
      if (s.kind === 'inline') {
        if (s.typeCondition === value.__typename) select(value, s.selections, out);
        continue;
      }
      if (!(s.name in value))
        throw new FieldError(`Field '${s.name}' doesn't exist on type '${value.__typename}'`);
      let v = value[s.name];
      if (typeof v === 'function') {
        const args = Object.fromEntries(Object.entries(s.args).map(([k, a]) => [k, argValue(a, variables)]));
        v = (v as Resolver)(args);
      }
      out[s.alias] = shape(v, s.selections);
    }
  };

  const shape = (v: unknown, selections: GqlSelection[] | undefined): unknown => {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.map((x) => shape(x, selections));
    if (typeof v === 'object') {
      if (!selections) throw new FieldError('Field must have selections');
      const out: Record<string, unknown> = {};
      select(v as Resolved, selections, out);
      return out;
    }
    return v;
  };

  try {
    const data: Record<string, unknown> = {};
    select(root, operation.selections, data);
    return runtimeErrors.length > 0 ? { data, errors: runtimeErrors } : { data };
  } catch (err) {
    if (err instanceof FieldError) return { errors: [{ message: err.message }] };
    throw err;
  }
}
