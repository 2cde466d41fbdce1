import { z } from 'zod';
import { measureJson } from './json-size.ts';
import { formatIssues, parseService } from './parse-service.ts';
import { findUnsafeStructure, MAX_SNAPSHOT_BYTES, MAX_TEXT_BYTES } from './safe-input.ts';
import type { ServiceDefinition } from './service-schema.ts';

/**
 * The visualizer's JSON export (spec 000, "Architecture Definition Export"). Top-level and component
 * fields beyond the known ones are kept as they are.
 */
export const DesignExport = z.looseObject({
  source: z.string().optional(),
  export_format: z.string().optional(),
  components: z.array(z.record(z.string(), z.unknown())),
});
export type DesignExport = z.infer<typeof DesignExport>;

export const DEFAULT_EXPORT_HEADER = {
  source: 'Integration Bridge',
  export_format: 'architecture_definition.json',
} as const;

export interface ComponentIssue {
  /** Index of the component in `components`, or -1 for the document itself. */
  index: number;
  name?: string;
  reason: string;
}

export type ParsedDesign =
  | { ok: true; export: DesignExport; services: ServiceDefinition[]; empty: boolean }
  | { ok: false; reason: string; issues: ComponentIssue[] };

/** Parses design text. Empty text is an empty design (a new file), not an error. */
export function parseDesignText(text: string): ParsedDesign {
  if (text.length > MAX_TEXT_BYTES) return fail(`the design is larger than ${MAX_TEXT_BYTES} bytes`);
  if (text.trim() === '') {
    return { ok: true, export: { ...DEFAULT_EXPORT_HEADER, components: [] }, services: [], empty: true };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('the design is not valid JSON');
  }
  return parseDesignValue(value);
}

export function parseDesignValue(value: unknown): ParsedDesign {
  // Measured first: the walk is cheap, and everything after it is bounded by it.
  const size = measureJson(value, MAX_SNAPSHOT_BYTES);
  if (!size.ok && size.problem === 'too-large')
    return fail(`the design is larger than ${MAX_SNAPSHOT_BYTES} bytes as compact JSON`);
  if (!size.ok && size.problem === 'cyclic') return fail('the design contains itself');
  const unsafe = findUnsafeStructure(value);
  if (unsafe) return fail(unsafe);
  const parsed = DesignExport.safeParse(value);
  if (!parsed.success) return fail('the design must be an object with a "components" list');
  const result = designToServices(parsed.data);
  if (!result.ok) return result;
  return { ok: true, export: parsed.data, services: result.services, empty: result.services.length === 0 };
}

/** Every component as a service; one invalid component or a repeated id makes the whole design invalid. */
export function designToServices(
  design: DesignExport,
): { ok: true; services: ServiceDefinition[] } | { ok: false; reason: string; issues: ComponentIssue[] } {
  const services: ServiceDefinition[] = [];
  const issues: ComponentIssue[] = [];
  const seen = new Map<string, number>();
  design.components.forEach((component, index) => {
    const name = typeof component.name === 'string' ? component.name : undefined;
    const result = parseService(component);
    if (!result.ok) {
      issues.push({ index, ...(name ? { name } : {}), reason: formatIssues(result.issues) });
      return;
    }
    const first = seen.get(result.service.id);
    if (first !== undefined) {
      issues.push({
        index,
        ...(name ? { name } : {}),
        reason: `id "${result.service.id}" repeats component ${first}`,
      });
      return;
    }
    seen.set(result.service.id, index);
    services.push(result.service);
  });
  if (issues.length > 0) {
    // The reason is what a sync's error shows: name the components and why, not only a count.
    const shown = issues
      .slice(0, 3)
      .map((i) => `component ${i.index}${i.name ? ` "${i.name.slice(0, 80)}"` : ''}: ${i.reason}`)
      .join('; ');
    const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
    return { ok: false, reason: `${issues.length} design component(s) are invalid: ${shown}${more}`, issues };
  }
  return { ok: true, services };
}

function fail(reason: string): ParsedDesign {
  return { ok: false, reason, issues: [{ index: -1, reason }] };
}
