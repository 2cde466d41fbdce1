import { type Body, evaluate, firstBlock, isBody, type TerraformModel } from './terraform-model.ts';

/** `${expression}` as hcl2json writes an interpolation. */
export const interpolation = (expression: string): string => `\${${expression}}`;
export const EACH_KEY = interpolation('each.key');

/** `${local.x}`, `${toset(local.x)}` → `x` (a path such as `local.x.y` is not a local's name). */
export function localName(expression: unknown): string | undefined {
  if (typeof expression !== 'string') return undefined;
  return /^\$\{(?:toset\()?local\.([A-Za-z0-9_-]+)\)?\}$/.exec(expression)?.[1];
}

export function resourcesOf(model: TerraformModel, type: string): Array<[name: string, body: Body]> {
  return Object.entries(model.resources[type] ?? {});
}

/** Follows nested blocks: `block(body, 'push_config', 'oidc_token')`. */
export function block(body: Body | undefined, ...names: string[]): Body | undefined {
  let at = body;
  for (const name of names) at = at === undefined ? undefined : firstBlock(at[name]);
  return at;
}

/** The instances of a `for_each` over an object or list local (`local.x`, `toset(local.x)`, `local.x.y`). */
export function instances(model: TerraformModel, body: Body): Array<{ key: string; value: unknown }> {
  const name = localName(body.for_each);
  const expression =
    typeof body.for_each === 'string'
      ? body.for_each.replace(/^\$\{toset\((.*)\)\}$/, (_m, inner: string) => interpolation(inner))
      : undefined;
  const value = name === undefined ? evaluate(model, expression) : model.locals[name];
  if (Array.isArray(value)) return value.map((v) => ({ key: String(v), value: v }));
  if (isBody(value)) return Object.entries(value).map(([key, v]) => ({ key, value: v }));
  return [];
}

/** A template with `${each.key}` and `${each.value.<field>}` filled in for one instance. */
export function expand(template: unknown, each: { key: string; value: unknown }): string {
  return String(template)
    .replaceAll(EACH_KEY, each.key)
    .replace(/\$\{each\.value\.(\w+)\}/g, (_m, field: string) =>
      isBody(each.value) ? String(each.value[field]) : '',
    );
}
