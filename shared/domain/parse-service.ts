import { canonicalKeys } from './field-names.ts';
import { findUnsafeStructure, isPlainObject } from './safe-input.ts';
import { ServiceDefinition } from './service-schema.ts';
import { slugify } from './slugify.ts';

/** Why an input was refused: the field (dotted path, '' for the whole value) and what is wrong with it. */
export interface FieldIssue {
  field: string;
  message: string;
}

export type ParseServiceResult =
  | { ok: true; service: ServiceDefinition }
  | { ok: false; issues: FieldIssue[] };

/**
 * Validates one service from untrusted input: either spelling of each field (camelCase or the
 * export's snake_case), `id` derived from `name` when absent (or from `idFallback`, e.g. a file name).
 */
export function parseService(input: unknown, options: { idFallback?: string } = {}): ParseServiceResult {
  if (!isPlainObject(input)) return { ok: false, issues: [{ field: '', message: 'must be an object' }] };
  const unsafe = findUnsafeStructure(input);
  if (unsafe) return { ok: false, issues: [{ field: '', message: unsafe }] };
  const candidate = canonicalKeys(input);
  if (candidate.id === undefined || candidate.id === null) {
    if (options.idFallback !== undefined) candidate.id = options.idFallback;
    else if (typeof candidate.name === 'string' && candidate.name.trim())
      candidate.id = slugify(candidate.name);
  }
  const parsed = ServiceDefinition.safeParse(candidate);
  if (parsed.success) return { ok: true, service: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}

export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
}
