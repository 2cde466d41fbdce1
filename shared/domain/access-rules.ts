/**
 * Who may reach which repository and design (pure rules; the facts are gathered by shared/access).
 *
 * A GitHub repository is reached through the tenant's own connected account, when that account can
 * reach it (and push, for a link that writes), or through the bridge's own token or App, which
 * serves only the admin tenant and owners or App installations the admin granted to the tenant.
 * A file:// path reads this machine: the admin's, unless the operator opts in (BRIDGE_LOCAL_LINKS=any)
 * and then only inside the local folders granted to the tenant. A Google Drive design is read with
 * the bridge's own Google credentials (tenants have no Google account here): see drive-access-rules.ts.
 */

export const GRANT_KINDS = ['owner', 'installation', 'local-path', 'drive-file', 'drive-folder'] as const;
export type GrantKind = (typeof GRANT_KINDS)[number];

export type AccessNeed = 'read' | 'write';

/** What the tenant's connected GitHub account can do in the repository. */
export type AccountFacts =
  | { state: 'none' }
  | { state: 'reconnect_needed'; reason: string }
  /** GitHub answered 401 to the account's token. */
  | { state: 'rejected' }
  | { state: 'checked'; pull: boolean; push: boolean };

export interface GithubAccessFacts {
  tenant: string;
  admin: boolean;
  owner: string;
  /** `owner/name`, for messages. */
  repoName: string;
  need: AccessNeed;
  account: AccountFacts;
  ownerGranted: boolean;
  installationGranted: boolean;
}

export type AccessVerdict =
  | {
      allowed: true;
      via: 'account' | 'bridge';
      grounds:
        | 'account'
        | 'admin'
        | 'owner-grant'
        | 'installation-grant'
        | 'local-grant'
        | 'drive-file-grant'
        | 'drive-folder-grant';
    }
  | { allowed: false; state: 'forbidden' | 'reconnect_needed'; reason: string };

const CONNECT = 'GET /api/integrations/github/connect';

const askGrant = (f: Pick<GithubAccessFacts, 'tenant' | 'owner'>) =>
  `ask the operator to grant owner ${f.owner.toLowerCase()} to tenant ${f.tenant} (bridge grants add ${f.tenant} --owner ${f.owner.toLowerCase()})`;

/** Which credentials may serve a tenant's GitHub link, or why none may. */
export function decideGithubAccess(f: GithubAccessFacts): AccessVerdict {
  const account = f.account;
  if (account.state === 'checked' && account.pull && (f.need === 'read' || account.push)) {
    return { allowed: true, via: 'account', grounds: 'account' };
  }
  if (f.admin) return { allowed: true, via: 'bridge', grounds: 'admin' };
  if (f.ownerGranted) return { allowed: true, via: 'bridge', grounds: 'owner-grant' };
  if (f.installationGranted) return { allowed: true, via: 'bridge', grounds: 'installation-grant' };
  const grant = askGrant(f);
  const who = `the GitHub account connected for tenant ${f.tenant}`;
  switch (account.state) {
    case 'none':
      return {
        allowed: false,
        state: 'forbidden',
        reason:
          `Tenant ${f.tenant} has no access to GitHub repository ${f.repoName}: connect a GitHub account ` +
          `that can reach it (${CONNECT}), or ${grant}`,
      };
    case 'reconnect_needed':
      return {
        allowed: false,
        state: 'reconnect_needed',
        reason: `${capital(who)} needs reconnecting (${account.reason}): connect again (${CONNECT}), or ${grant}`,
      };
    case 'rejected':
      return {
        allowed: false,
        state: 'reconnect_needed',
        reason: `GitHub rejects the token of ${who} (revoked or expired): connect again (${CONNECT}), or ${grant}`,
      };
    case 'checked':
      return {
        allowed: false,
        state: 'forbidden',
        reason: account.pull
          ? `${capital(who)} can read ${f.repoName} but not push to it: get it push access, set the link's ` +
            `policy mode to report-only, or ${grant}`
          : `${capital(who)} cannot reach ${f.repoName}: connect an account that can (${CONNECT}), or ${grant}`,
      };
  }
}

export interface LocalAccessFacts {
  tenant: string;
  admin: boolean;
  /** BRIDGE_LOCAL_LINKS. */
  optIn: 'admin' | 'any';
  /** The link's file:// paths, resolved (symlinks followed) by the caller. */
  paths: ReadonlyArray<{ what: 'repository' | 'design'; path: string }>;
  /** The tenant's granted local folders, resolved the same way. */
  granted: readonly string[];
}

/** Whether a tenant may link these local paths. */
export function decideLocalAccess(f: LocalAccessFacts): AccessVerdict {
  if (f.admin || f.paths.length === 0) return { allowed: true, via: 'bridge', grounds: 'admin' };
  if (f.optIn === 'admin') {
    return {
      allowed: false,
      state: 'forbidden',
      reason:
        'Local file:// repositories and designs can only be linked with the admin token (an operator may ' +
        'let tenants link folders granted to them: BRIDGE_LOCAL_LINKS=any and bridge grants add <tenant> --local-path <folder>)',
    };
  }
  const outside = f.paths.filter((p) => !f.granted.some((folder) => pathWithin(p.path, folder)));
  if (outside.length === 0) return { allowed: true, via: 'bridge', grounds: 'local-grant' };
  const granted = f.granted.length === 0 ? 'none is granted yet' : `granted: ${f.granted.join(', ')}`;
  return {
    allowed: false,
    state: 'forbidden',
    reason:
      `Tenant ${f.tenant} may link local ${outside.map((p) => p.what).join(' and ')} paths only inside the ` +
      `folders granted to it (${granted}): ask the operator for a grant (bridge grants add ${f.tenant} --local-path <folder>)`,
  };
}

/** `path` is `folder` or inside it (on a segment boundary: /srv/acme does not contain /srv/acme-evil). */
export function pathWithin(path: string, folder: string): boolean {
  const root = folder.endsWith('/') ? folder : `${folder}/`;
  return path === folder || `${path}/` === root || path.startsWith(root);
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const INSTALLATION = /^[1-9][0-9]{0,15}$/;
/** The characters of a Drive id (the same rule as a design URL's file id). */
const DRIVE_ID = /^[A-Za-z0-9_-]{1,200}$/;

/** A grant's value in its stored form, or why it is not one. */
export function normalizeGrantValue(
  kind: GrantKind,
  raw: string,
): { ok: true; value: string } | { ok: false; reason: string } {
  if (kind === 'owner') {
    return OWNER.test(raw)
      ? { ok: true, value: raw.toLowerCase() }
      : { ok: false, reason: 'a GitHub user or organization login such as acme' };
  }
  if (kind === 'installation') {
    return INSTALLATION.test(raw)
      ? { ok: true, value: raw }
      : { ok: false, reason: 'a GitHub App installation id (digits) such as 12345678' };
  }
  if (kind === 'drive-file' || kind === 'drive-folder') {
    // Drive ids are case-sensitive: kept exactly as given.
    return DRIVE_ID.test(raw)
      ? { ok: true, value: raw }
      : {
          ok: false,
          reason:
            kind === 'drive-file'
              ? 'a Drive file id (letters, digits, - and _) such as 1AbCdEf, the part after /file/d/ or /apps/drive/ in its URL'
              : 'a Drive folder id (letters, digits, - and _) such as 1AbCdEf, the part after /drive/folders/ in its URL',
        };
  }
  const rule = 'an absolute, normalized folder path such as /srv/bridge/acme (no ., .. or empty segments)';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is rejected
  if (!raw.startsWith('/') || raw.length > 1024 || /[\u0000-\u001f\u007f\\]/.test(raw)) {
    return { ok: false, reason: rule };
  }
  const trimmed = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
  const segments = trimmed.split('/').slice(1);
  if (trimmed === '/' || trimmed === '') {
    return {
      ok: false,
      reason: 'the file system root cannot be granted: name a folder such as /srv/bridge/acme',
    };
  }
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return { ok: false, reason: rule };
  return { ok: true, value: trimmed };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
