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
  };
  for (const [file, text] of Object.entries(sources)) {
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
  return model;
}

/** Every `*.tf` file of a directory, by file name. */
export function readTerraformSources(dir: string): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.tf')) sources[file] = readFileSync(join(dir, file), 'utf8');
  }
  return sources;
}
