import { AppError } from '../errors/index.ts';
import type { MergeConflict } from './conflicts.ts';
import { NESTED_FIELD } from './field-merge.ts';
import { formatIssues, parseService } from './parse-service.ts';
import type { ServiceDefinition } from './service-schema.ts';

export const RESOLVE_TAKES = ['design', 'definitions', 'value'] as const;
export type ResolveTake = (typeof RESOLVE_TAKES)[number];

/**
 * A decision to apply on the next sync: set `field` of `serviceId` to `value` (null removes the
 * field), or with `field: null` replace the whole service (null deletes it).
 */
export interface ConflictResolution {
  serviceId: string;
  field: string | null;
  value: unknown;
}

/**
 * Turns a human's choice into a resolution. Apply it with `applyResolutions` to BOTH the design and
 * the definitions before the next merge: the two sides then agree and the merge writes the value
 * everywhere. Throws AppError `validation_failed` when the value would make the service invalid.
 */
export function resolveConflict(
  conflict: Pick<MergeConflict, 'serviceId' | 'field' | 'design' | 'definitions'>,
  take: ResolveTake,
  value?: unknown,
): ConflictResolution {
  if (take === 'value' && value === undefined) {
    throw new AppError('validation_failed', 'take "value" needs a value (null removes the field or service)');
  }
  const chosen = take === 'design' ? conflict.design : take === 'definitions' ? conflict.definitions : value;
  const resolution = { serviceId: conflict.serviceId, field: conflict.field, value: chosen ?? null };
  if (resolution.field === 'id')
    throw new AppError('validation_failed', 'the id of a service cannot be resolved');
  if (resolution.value !== null) checkValue(resolution);
  else if (resolution.field !== null) checkRemoval(resolution.serviceId, resolution.field);
  return resolution;
}

/** `services` with the resolutions applied; resolutions for services that are gone are ignored. */
export function applyResolutions(
  services: readonly ServiceDefinition[],
  resolutions: readonly ConflictResolution[],
): ServiceDefinition[] {
  let out = [...services];
  for (const r of resolutions) {
    const index = out.findIndex((s) => s.id === r.serviceId);
    if (r.field === null) {
      if (r.value === null) out = out.filter((s) => s.id !== r.serviceId);
      else if (index >= 0) out[index] = r.value as ServiceDefinition;
      else out.push(r.value as ServiceDefinition);
      continue;
    }
    const service = out[index];
    if (!service) continue;
    out[index] = withField(service, r.field, r.value) as ServiceDefinition;
  }
  return out;
}

/** `metadata.<key>` names one key of the service's metadata (see mergeFields); other names a field. */
function nestedKey(field: string): string | undefined {
  return field.startsWith(`${NESTED_FIELD}.`) ? field.slice(NESTED_FIELD.length + 1) : undefined;
}

/** A copy of `service` with `field` set to `value` (null removes it; an emptied metadata goes too). */
function withField(service: object, field: string, value: unknown): Record<string, unknown> {
  const next: Record<string, unknown> = { ...service };
  const key = nestedKey(field);
  if (key === undefined) {
    if (value === null) delete next[field];
    else next[field] = value;
    return next;
  }
  const current = next[NESTED_FIELD];
  const metadata = withField(
    typeof current === 'object' && current !== null && !Array.isArray(current) ? current : {},
    key,
    value,
  );
  if (Object.keys(metadata).length === 0) delete next[NESTED_FIELD];
  else next[NESTED_FIELD] = metadata;
  return next;
}

/** Removing a field (null) must leave a valid service: a required one such as `name` cannot go. */
function checkRemoval(serviceId: string, field: string): void {
  const parsed = parseService(withField({ id: serviceId, name: 'placeholder' }, field, null));
  if (!parsed.ok) throw new AppError('validation_failed', `invalid value: ${formatIssues(parsed.issues)}`);
}

function checkValue(resolution: ConflictResolution): void {
  const candidate =
    resolution.field === null
      ? resolution.value
      : withField({ id: resolution.serviceId, name: 'placeholder' }, resolution.field, resolution.value);
  const parsed = parseService(candidate);
  if (!parsed.ok) throw new AppError('validation_failed', `invalid value: ${formatIssues(parsed.issues)}`);
  if (resolution.field === null && parsed.service.id !== resolution.serviceId) {
    throw new AppError('validation_failed', `the service's id must stay "${resolution.serviceId}"`);
  }
  if (resolution.field === null) resolution.value = parsed.service;
  else {
    const key = nestedKey(resolution.field);
    const parsedFields = parsed.service as Record<string, unknown>;
    resolution.value =
      key === undefined
        ? parsedFields[resolution.field]
        : (parsedFields[NESTED_FIELD] as Record<string, unknown> | undefined)?.[key];
  }
}
