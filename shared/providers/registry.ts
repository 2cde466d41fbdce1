import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError } from '../errors/index.ts';
import type { DesignProvider, RepoProvider } from '../ports/index.ts';
import { createLocalFileDesignProvider } from './local-file/index.ts';
import { createLocalGitRepoProvider, type LocalGitRepoOptions } from './local-git/index.ts';

/** What a repository URL names; `url` is the canonical form to store on a link. */
export type RepoDescriptor =
  | { kind: 'github'; host: string; owner: string; repo: string; url: string }
  | { kind: 'local-git'; path: string; url: string };

/** What a design URL names; `url` is the canonical form to store on a link. */
export type DesignDescriptor =
  | { kind: 'drive'; fileId: string; url: string }
  | { kind: 'local-file'; path: string; url: string };

export interface UrlOptions {
  /** Web host of a GitHub Enterprise Server accepted besides github.com (see githubHostFromApiUrl). */
  githubHost?: string | undefined;
}

const REPO_FORMS =
  'https://github.com/<owner>/<repo> (optionally ending in .git), git@github.com:<owner>/<repo>.git, ' +
  'or file:///absolute/path/to/repo.git';
const DESIGN_FORMS =
  'https://drive.google.com/file/d/<fileId>, https://drive.google.com/open?id=<fileId>, ' +
  'https://aistudio.google.com/apps/drive/<fileId>, or file:///absolute/path/to/design.json';

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const FILE_ID = /^[A-Za-z0-9_-]{1,200}$/;
const GITHUB_HOSTS = new Set(['github.com', 'www.github.com']);

// The URL is never echoed: a pasted URL may carry a token (https://x:token@github.com/...).
const invalid = (what: 'repository' | 'design', reason: string): AppError =>
  new AppError(
    'validation_failed',
    `${what} URL not supported (${reason}); accepted forms: ${what === 'repository' ? REPO_FORMS : DESIGN_FORMS}`,
  );

/** The GitHub web host that goes with an API URL: api.github.com → undefined (github.com). */
export function githubHostFromApiUrl(apiUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return undefined;
  }
  if (url.host === 'api.github.com') return undefined;
  // GitHub Enterprise Cloud with data residency: api.<name>.ghe.com serves <name>.ghe.com.
  if (url.hostname.startsWith('api.') && url.pathname.replace(/\/$/, '') === '') return url.host.slice(4);
  return url.host;
}

export function parseRepoUrl(input: string, options: UrlOptions = {}): RepoDescriptor {
  const raw = precheck(input, 'repository');
  if (/^file:/i.test(raw)) {
    const path = parseFileUrl(raw, 'repository').replace(/(.)\/+$/, '$1');
    return { kind: 'local-git', path, url: pathToFileURL(path).href };
  }
  const hosts = new Set(GITHUB_HOSTS);
  if (options.githubHost) hosts.add(options.githubHost.toLowerCase());

  let host: string;
  let pathname: string;
  const scp = /^git@([^:/\s]+):(.+)$/.exec(raw);
  if (scp) {
    host = (scp[1] ?? '').toLowerCase();
    pathname = scp[2] ?? '';
  } else {
    const url = parseUrl(raw, 'repository');
    if (url.password || (url.username && !(url.protocol === 'ssh:' && url.username === 'git'))) {
      throw invalid('repository', 'credentials in the URL are not accepted; configure GITHUB_TOKEN instead');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'ssh:')
      throw invalid('repository', `scheme ${url.protocol}`);
    host = url.host;
    pathname = url.pathname;
  }
  if (!hosts.has(host)) throw invalid('repository', `unknown host ${host}`);

  const parts = pathname.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  if (parts.length > 2)
    throw invalid('repository', 'name the repository only; choose the branch with the link\u2019s branch');
  const owner = parts[0] ?? '';
  const repo = (parts[1] ?? '').replace(/\.git$/, '');
  if (!OWNER.test(owner) || !REPO.test(repo) || repo === '.' || repo === '..') {
    throw invalid('repository', 'expected /<owner>/<repo>');
  }
  const webHost = host === 'www.github.com' ? 'github.com' : host;
  // GitHub treats owner and repository names case-insensitively; the stored URL is lower case so a
  // webhook's html_url finds the link whatever casing the user typed.
  const url = `https://${webHost}/${owner}/${repo}`.toLowerCase();
  return { kind: 'github', host: webHost, owner, repo, url };
}

export function parseDesignUrl(input: string): DesignDescriptor {
  const raw = precheck(input, 'design');
  if (/^file:/i.test(raw)) {
    const path = parseFileUrl(raw, 'design');
    if (path.endsWith('/')) throw invalid('design', 'a file:// design URL must name a file, not a folder');
    return { kind: 'local-file', path, url: pathToFileURL(path).href };
  }
  const url = parseUrl(raw, 'design');
  if (url.protocol !== 'https:') throw invalid('design', `scheme ${url.protocol}`);
  if (url.username || url.password) throw invalid('design', 'credentials in the URL are not accepted');
  const parts = url.pathname.split('/').filter((p) => p.length > 0);
  let fileId: string | undefined;
  if (url.host === 'drive.google.com') {
    // /file/d/<id>[/view|/edit...], /file/u/<n>/d/<id>..., /open?id=<id>
    const d = parts[0] === 'file' ? parts.indexOf('d') : -1;
    if (d === 1 || (d === 3 && parts[1] === 'u')) fileId = parts[d + 1];
    else if (parts.length === 1 && (parts[0] === 'open' || parts[0] === 'uc'))
      fileId = url.searchParams.get('id') ?? undefined;
  } else if (url.host === 'aistudio.google.com') {
    if (parts.length === 3 && parts[0] === 'apps' && parts[1] === 'drive') fileId = parts[2];
  } else {
    throw invalid('design', `unknown host ${url.host}`);
  }
  if (fileId === undefined || !FILE_ID.test(fileId)) throw invalid('design', 'no Drive file id found');
  return { kind: 'drive', fileId, url: `https://drive.google.com/file/d/${fileId}` };
}

function precheck(input: string, what: 'repository' | 'design'): string {
  const raw = typeof input === 'string' ? input.trim() : '';
  if (raw.length === 0) throw invalid(what, 'empty');
  if (raw.length > 2048) throw invalid(what, 'too long');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is rejected
  if (/[\u0000-\u001f\u007f\s]/.test(raw)) throw invalid(what, 'contains whitespace or control characters');
  return raw;
}

function parseUrl(raw: string, what: 'repository' | 'design'): URL {
  try {
    return new URL(raw);
  } catch {
    throw invalid(what, 'not an absolute URL');
  }
}

/**
 * `file:///abs/path` only: no host (not even localhost), no query or fragment, no `.`/`..` segments
 * (checked on the raw text, because the URL parser would silently resolve them), no encoded slashes.
 */
function parseFileUrl(raw: string, what: 'repository' | 'design'): string {
  if (!raw.toLowerCase().startsWith('file:///')) {
    throw invalid(what, 'a file URL must be file:/// followed by an absolute path, with no host');
  }
  if (/[?#]/.test(raw)) throw invalid(what, 'a file URL takes no query or fragment');
  const segments = raw.slice('file:///'.length).split('/');
  segments.forEach((segment, i) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw invalid(what, 'malformed percent-encoding');
    }
    if (
      decoded === '.' ||
      decoded === '..' ||
      /[/\\\0]/.test(decoded) ||
      (decoded === '' && i < segments.length - 1)
    ) {
      throw invalid(
        what,
        'the path must be absolute and normalized (no ., .. or empty segments, no encoded slashes)',
      );
    }
  });
  const path = fileURLToPath(new URL(raw));
  if (path === '/') throw invalid(what, 'the file system root is not a repository or a design');
  return path;
}

/** What a provider acts with for a tenant (shared/access decides which, per link). */
export interface TenantCredentials {
  /** The tenant's connected GitHub account. */
  githubToken?: string | undefined;
  /** The bridge's own GitHub token or App may serve this link (the admin tenant, or a grant). */
  bridge?: boolean;
  /** The bridge's own Google credentials may serve this link's Drive design (the admin tenant, or a grant). */
  drive?: boolean;
}

export interface ProviderFactories {
  /**
   * Builds the GitHub provider, with the tenant's own token when given; absent when the bridge has no
   * GitHub credentials and accounts cannot be connected either.
   */
  github?: (
    descriptor: { host: string; owner: string; repo: string },
    credentials?: TenantCredentials,
  ) => RepoProvider;
  /**
   * Builds the Drive provider (the bridge's own Google credentials, where `credentials.drive` says
   * they may serve the link); absent when no Google credentials are configured.
   */
  drive?: (descriptor: { fileId: string }, credentials?: TenantCredentials) => DesignProvider;
}

export interface ProviderRegistryOptions extends UrlOptions {
  /** Accept file:// URLs (default true). A shared deployment should say false: they read this machine. */
  allowLocal?: boolean;
  /** When set, file:// paths must lie inside one of these absolute folders. */
  localRoots?: string[];
  /** Options for local git repositories (git binary, PATH, identity, clock). */
  localGit?: Omit<LocalGitRepoOptions, 'path'>;
}

export interface ResolvedRepo {
  descriptor: RepoDescriptor;
  /** Canonical URL to store on a link. */
  url: string;
  provider: RepoProvider;
}

export interface ResolvedDesign {
  descriptor: DesignDescriptor;
  url: string;
  provider: DesignProvider;
}

export interface ProviderRegistry {
  parseRepo(url: string): RepoDescriptor;
  parseDesign(url: string): DesignDescriptor;
  repo(url: string, credentials?: TenantCredentials): RepoProvider;
  design(url: string, credentials?: TenantCredentials): DesignProvider;
  resolveRepo(url: string, credentials?: TenantCredentials): ResolvedRepo;
  resolveDesign(url: string, credentials?: TenantCredentials): ResolvedDesign;
}

const MISSING_GITHUB =
  'GitHub repositories need GitHub credentials and none are configured: set GITHUB_TOKEN, or GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY';
const MISSING_DRIVE =
  'Google Drive designs need Google credentials and none are configured: set GOOGLE_APPLICATION_CREDENTIALS ' +
  '(Application Default Credentials) or GOOGLE_ACCESS_TOKEN';

/**
 * Resolves link URLs to providers. GitHub and Drive providers come from the caller's factories
 * (the composition root owns credentials); local git and local file providers are built in.
 */
export function createProviderRegistry(
  factories: ProviderFactories,
  options: ProviderRegistryOptions = {},
): ProviderRegistry {
  const urlOptions: UrlOptions = { githubHost: options.githubHost };

  const checkLocal = (path: string, what: 'repository' | 'design'): void => {
    if (options.allowLocal === false) {
      throw new AppError(
        'validation_failed',
        `local file:// ${what} URLs are not enabled on this deployment`,
      );
    }
    const roots = options.localRoots;
    if (
      roots &&
      !roots.some((root) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`))
    ) {
      throw new AppError('validation_failed', `local ${what} paths must be inside ${roots.join(', ')}`);
    }
  };

  const resolveRepo = (url: string, credentials?: TenantCredentials): ResolvedRepo => {
    const descriptor = parseRepoUrl(url, urlOptions);
    if (descriptor.kind === 'local-git') {
      checkLocal(descriptor.path, 'repository');
      return {
        descriptor,
        url: descriptor.url,
        provider: createLocalGitRepoProvider({ ...options.localGit, path: descriptor.path }),
      };
    }
    if (!factories.github) throw new AppError('validation_failed', MISSING_GITHUB);
    return { descriptor, url: descriptor.url, provider: factories.github(descriptor, credentials) };
  };

  const resolveDesign = (url: string, credentials?: TenantCredentials): ResolvedDesign => {
    const descriptor = parseDesignUrl(url);
    if (descriptor.kind === 'local-file') {
      checkLocal(descriptor.path, 'design');
      return {
        descriptor,
        url: descriptor.url,
        provider: createLocalFileDesignProvider({ path: descriptor.path }),
      };
    }
    if (!factories.drive) throw new AppError('validation_failed', MISSING_DRIVE);
    return { descriptor, url: descriptor.url, provider: factories.drive(descriptor, credentials) };
  };

  return {
    parseRepo: (url) => parseRepoUrl(url, urlOptions),
    parseDesign: (url) => parseDesignUrl(url),
    repo: (url, credentials) => resolveRepo(url, credentials).provider,
    design: (url, credentials) => resolveDesign(url, credentials).provider,
    resolveRepo,
    resolveDesign,
  };
}
