/**
 * Path words of the GitHub REST and Drive APIs the bridge calls. Any other segment (owner, repo,
 * branch, sha, file id, number) becomes `{}`, so a route label has a bounded set of values whatever
 * the repositories and files are.
 */
const API_WORDS = new Set([
  'repos',
  'git',
  'ref',
  'refs',
  'heads',
  'trees',
  'commits',
  'blobs',
  'contents',
  'branches',
  'pulls',
  'issues',
  'comments',
  'statuses',
  'hooks',
  'deliveries',
  'attempts',
  'config',
  'pings',
  'installation',
  'installations',
  'access_tokens',
  'app',
  'user',
  'graphql',
  'search',
  'rate_limit',
  'collaborators',
  'permission',
  'merge',
  'labels',
  'api',
  'v3',
  'drive',
  'upload',
  'v2',
  'files',
  'changes',
  'startPageToken',
  'channels',
  'stop',
  'watch',
  'about',
  'revisions',
  'parents',
  'permissions',
]);

/** `/repos/acme/platform/git/trees/abc123` → `/repos/{}/git/trees/{}` (runs of ids fold into one). */
export function providerRoute(pathname: string): string {
  const out: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '') continue;
    const part = API_WORDS.has(segment) ? segment : '{}';
    if (part === '{}' && out.at(-1) === '{}') continue;
    out.push(part);
  }
  return `/${out.join('/')}`;
}

function pathOf(input: Parameters<typeof fetch>[0]): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

/** A fetch that counts each request by provider, templated route and status class (`error` when it threw). */
export function meteredFetch(
  record: (route: string, status: number | undefined) => void,
  inner: typeof fetch = globalThis.fetch,
): typeof fetch {
  return async (input, init) => {
    const route = providerRoute(pathOf(input));
    try {
      const response = await inner(input, init);
      record(route, response.status);
      return response;
    } catch (err) {
      record(route, undefined);
      throw err;
    }
  };
}
