import type { AccessVerdict } from './access-rules.ts';

/**
 * Who may use a Google Drive design (pure rules; the facts are gathered by shared/access).
 *
 * The bridge reads and writes Drive with its own Google credentials (its service account through
 * ADC, or GOOGLE_ACCESS_TOKEN), which reach every file anyone shared with that account. Tenants have
 * no Google account of their own in this product, so an admin grant is the only way a tenant reaches
 * a Drive file: the file itself, or a folder Drive lists among the file's `parents`.
 */
export interface DriveAccessFacts {
  tenant: string;
  admin: boolean;
  fileId: string;
  /** Drive file ids granted to the tenant (exact: Drive ids are case-sensitive). */
  grantedFiles: readonly string[];
  /** Drive folder ids granted to the tenant. */
  grantedFolders: readonly string[];
  /** The file's parents as Drive lists them to the bridge; absent when not asked (see needsDriveParents). */
  parents?: readonly string[] | undefined;
}

/** Whether the decision depends on the file's folder, so Drive must be asked for its parents. */
export function needsDriveParents(f: Omit<DriveAccessFacts, 'parents'>): boolean {
  return !f.admin && !f.grantedFiles.includes(f.fileId) && f.grantedFolders.length > 0;
}

/** Whether a tenant may link this Drive file. */
export function decideDriveAccess(f: DriveAccessFacts): AccessVerdict {
  if (f.admin) return { allowed: true, via: 'bridge', grounds: 'admin' };
  if (f.grantedFiles.includes(f.fileId)) return { allowed: true, via: 'bridge', grounds: 'drive-file-grant' };
  if (f.parents?.some((p) => f.grantedFolders.includes(p))) {
    return { allowed: true, via: 'bridge', grounds: 'drive-folder-grant' };
  }
  // The same words whether the file exists, sits in another tenant's folder or nowhere the bridge
  // sees: a refusal tells nothing about files the tenant was not given.
  return {
    allowed: false,
    state: 'forbidden',
    reason:
      `Tenant ${f.tenant} may not use Google Drive file ${f.fileId}: tenants have no Google account of their ` +
      'own on this bridge, so its Google credentials serve a tenant only the Drive files and folders the ' +
      `admin granted it. Ask the operator to grant the file (bridge grants add ${f.tenant} --drive-file ` +
      `${f.fileId}) or the folder that holds it (bridge grants add ${f.tenant} --drive-folder <folder id>)`,
  };
}

/**
 * One verdict for a link from the verdicts of its parts (repository, design, local paths): allowed
 * when every part is, else every refusal's reason, so one answer says all that is missing. `forbidden`
 * wins over `reconnect_needed`: reconnecting alone would not give the link access.
 */
export function combineVerdicts(parts: readonly AccessVerdict[]): AccessVerdict {
  const refusals = parts.filter((v): v is Extract<AccessVerdict, { allowed: false }> => !v.allowed);
  const [first] = refusals;
  if (!first) return parts[0] ?? { allowed: true, via: 'bridge', grounds: 'admin' };
  if (refusals.length === 1) return first;
  return {
    allowed: false,
    state: refusals.some((r) => r.state === 'forbidden') ? 'forbidden' : 'reconnect_needed',
    reason: refusals.map((r) => r.reason).join('. '),
  };
}
