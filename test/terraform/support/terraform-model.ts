import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

/** A block body or object value as @cdktf/hcl2json emits it (nested blocks are arrays of bodies). */
export type Body = Record<string, unknown>;

/** Every declaration of a Terraform module, merged over its `.tf` files. */
export interface TerraformModel {
  /** File name → its parsed JSON (what the reference walk visits). */
  files: Record<string, Body>;
  resources: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, Body>>;
  variables: Record<string, Body>;
  locals: Record<string, unknown>;
  modules: Record<string, Body>;
  outputs: Record<string, Body>;
  /** Things declared more than once (terraform would refuse them). */
  duplicates: string[];
  /** JSON files of the module that locals read with `jsondecode(file(...))`, parsed. */
  json: Record<string, unknown>;
}

export function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first body of a block (`x { ... }` parses as `x: [{...}]`), or undefined. */
export function firstBlock(value: unknown): Body | undefined {
  if (Array.isArray(value)) return isBody(value[0]) ? value[0] : undefined;
  return isBody(value) ? value : undefined;
}

function addNamed(into: Record<string, Body>, label: string, named: unknown, duplicates: string[]): void {
  if (!isBody(named)) return;
  for (const [name, blocks] of Object.entries(named)) {
    const body = firstBlock(blocks);
    if (!body) continue;
    if (name in into || (Array.isArray(blocks) && blocks.length > 1)) duplicates.push(`${label}.${name}`);
    into[name] = body;
  }
}

/** Parses `.tf` sources (file name → text) offline with hcl2json's WASM build of HCL. */
export async function parseTerraform(sources: Record<string, string>): Promise<TerraformModel> {
  const model: TerraformModel = {
    files: {},
    resources: {},
    data: {},
    variables: {},
    locals: {},
    modules: {},
    outputs: {},
    duplicates: [],
    json: {},
  };
  for (const [file, text] of Object.entries(sources)) {
    if (file.endsWith('.json')) {
      model.json[file] = JSON.parse(text);
      continue;
    }
    const json = (await parse(file, text)) as Body;
    model.files[file] = json;
    for (const [kind, into] of [
      ['resource', model.resources],
      ['data', model.data],
    ] as const) {
      const byType = json[kind];
      if (!isBody(byType)) continue;
      for (const [type, named] of Object.entries(byType)) {
        into[type] ??= {};
        addNamed(into[type], `${kind === 'data' ? 'data.' : ''}${type}`, named, model.duplicates);
      }
    }
    addNamed(model.variables, 'var', json.variable, model.duplicates);
    addNamed(model.modules, 'module', json.module, model.duplicates);
    addNamed(model.outputs, 'output', json.output, model.duplicates);
    for (const block of Array.isArray(json.locals) ? json.locals : []) {
      if (!isBody(block)) continue;
      for (const [name, value] of Object.entries(block)) {
        if (name in model.locals) model.duplicates.push(`local.${name}`);
        model.locals[name] = value;
      }
    }
  }
  resolveLocals(model);
  return model;
}

const FILE_LOCAL = /^\$\{jsondecode\(file\("\$\{path\.module\}\/([^"]+)"\)\)\}$/;

/**
 * Locals Terraform computes from the module's files get their values, as `terraform plan` would:
 * `jsondecode(file("${path.module}/x.json"))`, then plain references to those (`local.x.y`).
 */
function resolveLocals(model: TerraformModel): void {
  for (const [name, value] of Object.entries(model.locals)) {
    const file = typeof value === 'string' ? FILE_LOCAL.exec(value)?.[1] : undefined;
    if (file !== undefined && file in model.json) model.locals[name] = model.json[file];
  }
  for (const [name, value] of Object.entries(model.locals)) {
    const resolved =
      typeof value === 'string' && value.startsWith('${local.') ? evaluate(model, value) : undefined;
    if (resolved !== undefined) model.locals[name] = resolved;
  }
}

/**
 * The value of a whole-string expression made of one reference path (`${local.a["b"].c}`,
 * `${each.value.name}`, `${var.x}` with a default), or undefined when it is anything else.
 */
export function evaluate(
  model: TerraformModel,
  expression: unknown,
  each?: { key: string; value: unknown },
): unknown {
  if (typeof expression !== 'string') return expression;
  const path = /^\$\{([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\["[^"]+"\]|\[each\.key\])*)\}$/.exec(
    expression,
  )?.[1];
  if (path === undefined) return expression.includes('${') ? undefined : expression;
  const steps = [...path.matchAll(/([A-Za-z_][\w-]*)|\["([^"]+)"\]|\[(each\.key)\]/g)].map(
    (m) => m[1] ?? m[2] ?? (m[3] ? each?.key : undefined),
  );
  const [head, ...rest] = steps;
  let at: unknown;
  if (head === 'local') at = model.locals;
  else if (head === 'var') {
    const variable = model.variables[rest.shift() ?? ''];
    at = variable?.default;
  } else if (head === 'each' && each) {
    const which = rest.shift();
    at = which === 'key' ? each.key : which === 'value' ? each.value : undefined;
  } else return undefined;
  for (const step of rest) {
    if (step === undefined || !isBody(at)) return undefined;
    at = at[step];
  }
  return at;
}

/** Every `*.tf` file of a directory and the JSON files beside them, by file name. */
export function readTerraformSources(dir: string): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.tf') || file.endsWith('.json')) sources[file] = readFileSync(join(dir, file), 'utf8');
  }
  return sources;
}
