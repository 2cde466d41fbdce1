import { createHash } from 'node:crypto';

export const CONFLICT_KINDS = ['field', 'removal', 'version', 'add-add'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export const CONFLICT_RESOLUTIONS = [
  'design',
  'definitions',
  'higher-version',
  'kept',
  'deleted',
  'open',
] as const;
export type ConflictResolutionKind = (typeof CONFLICT_RESOLUTIONS)[number];

/**
 * A disagreement the merge found. Values are JSON; an absent field or service is `null`.
 * - `field` conflicts (kinds field | version | add-add) carry the field's three values;
 * - `removal` conflicts (`field: null`) carry the whole service as base/design/definitions.
 * `resolution` says how the merge settled it and `value` what it settled on. `open` (manual policy)
 * means each side kept its own value and the conflict is detected again until someone resolves it.
 * `needsReview` marks what a human must look at (manual policy): open field conflicts and removals
 * kept by the manual removal policy (the spec opens a GitHub issue for those).
 */
export interface MergeConflict {
  /** Stable for the same disagreement (service, field, both sides' values): use it to de-duplicate. */
  fingerprint: string;
  serviceId: string;
  field: string | null;
  kind: ConflictKind;
  base: unknown;
  design: unknown;
  definitions: unknown;
  resolution: ConflictResolutionKind;
  /** The settled value (null: absent/deleted). Absent for `open`. */
  value?: unknown;
  needsReview: boolean;
}

export function conflictFingerprint(
  serviceId: string,
  field: string | null,
  design: unknown,
  definitions: unknown,
) {
  const text = stableStringify({
    serviceId,
    field,
    design: design ?? null,
    definitions: definitions ?? null,
  });
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** JSON with object keys sorted, so equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}
