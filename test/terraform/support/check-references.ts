import { expressionStrings, findReferences } from './find-references.ts';
import { type Body, isBody, type TerraformModel } from './terraform-model.ts';

const BUILT_IN = new Set(['each', 'count', 'self', 'path', 'terraform']);
const RESOURCE_TYPE = /^[a-z][a-z0-9]*_[a-z0-9_]+$/;

/** Names usable inside `dynamic` blocks: the block label, or its `iterator`. */
function dynamicIterators(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) dynamicIterators(v, into);
  if (!isBody(value)) return into;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'dynamic' && isBody(child)) {
      for (const [label, blocks] of Object.entries(child)) {
        into.add(label);
        for (const block of Array.isArray(blocks) ? blocks : []) {
          if (isBody(block) && typeof block.iterator === 'string') into.add(block.iterator);
        }
      }
    }
    dynamicIterators(child, into);
  }
  return into;
}

/** Provider names (`provider = google-beta` meta-arguments) declared in `provider` or `required_providers`. */
function declaredProviders(model: TerraformModel): Set<string> {
  const names = new Set<string>();
  for (const json of Object.values(model.files)) {
    if (isBody(json.provider)) for (const name of Object.keys(json.provider)) names.add(name);
    for (const block of Array.isArray(json.terraform) ? json.terraform : []) {
      const required =
        isBody(block) && Array.isArray(block.required_providers) ? block.required_providers : [];
      for (const r of required) if (isBody(r)) for (const name of Object.keys(r)) names.add(name);
    }
  }
  return names;
}

const PROVIDER_META = /^(resource|data)\.[^.]+\.[^.]+\.\d+\.provider$/;

/** Type constraints (`type = map(string)`) and `ignore_changes` paths name no objects. */
function isExempt(path: string): boolean {
  return /^variable\.[^.]+\.\d+\.type$/.test(path) || /(^|\.)lifecycle\.\d+\.ignore_changes(\.|$)/.test(path);
}

function resolve(model: TerraformModel, ref: string, iterators: Set<string>): string | undefined {
  const [head = '', first, second] = ref.split('.');
  const declared = (table: Record<string, Body>, name: string | undefined) =>
    name !== undefined && name in table;
  switch (head) {
    case 'var':
      return declared(model.variables, first) ? undefined : `var.${first} is not declared`;
    case 'local':
      return first !== undefined && first in model.locals ? undefined : `local.${first} is not declared`;
    case 'module':
      return declared(model.modules, first) ? undefined : `module.${first} is not declared`;
    case 'data':
      return declared(model.data[first ?? ''] ?? {}, second)
        ? undefined
        : `data.${first}.${second} is not declared`;
  }
  if (BUILT_IN.has(head) || iterators.has(head)) return undefined;
  if (RESOURCE_TYPE.test(head)) {
    return declared(model.resources[head] ?? {}, first) ? undefined : `${head}.${first} is not declared`;
  }
  return `${ref} does not name anything declared`;
}

/** Every reference in every expression must name a declared variable, local, module, data source or resource. */
export async function checkReferences(model: TerraformModel): Promise<string[]> {
  const problems = [...model.duplicates.map((name) => `${name} is declared more than once`)];
  const providers = declaredProviders(model);
  for (const [file, json] of Object.entries(model.files)) {
    const iterators = dynamicIterators(json);
    for (const { path, text } of expressionStrings(json)) {
      if (isExempt(path)) continue;
      for (const ref of await findReferences(file, text)) {
        const provider = ref.split('.')[0] ?? '';
        const problem = PROVIDER_META.test(path)
          ? providers.has(provider)
            ? undefined
            : `provider ${provider} is not declared`
          : resolve(model, ref, iterators);
        if (problem) problems.push(`${file} ${path}: ${problem}`);
      }
    }
  }
  return problems;
}
