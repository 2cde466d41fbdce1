import type { z } from 'zod';
import { block, EACH_KEY, instances, resourcesOf } from './terraform-lookup.ts';
import { isBody, type TerraformModel } from './terraform-model.ts';

const FUNCTION = 'google_cloudfunctions2_function';

/** Function key → entry point, for every deployed function (for_each over a local, or one per resource). */
export function deployedFunctions(model: TerraformModel): Map<string, { entryPoint: string; spec: unknown }> {
  const out = new Map<string, { entryPoint: string; spec: unknown }>();
  for (const [name, body] of resourcesOf(model, FUNCTION)) {
    const entry = block(body, 'build_config')?.entry_point;
    const each = instances(model, body);
    if (each.length === 0) out.set(name, { entryPoint: String(entry), spec: undefined });
    for (const { key, value } of each) {
      out.set(key, { entryPoint: entry === EACH_KEY ? key : String(entry), spec: value });
    }
  }
  return out;
}

/** Every folder in functions/ is deployed with its name as the entry point, on a Node 24+ runtime. */
export function checkFunctions(model: TerraformModel, folders: string[]): string[] {
  const problems: string[] = [];
  const deployed = deployedFunctions(model);
  const entryPoints = new Set([...deployed.values()].map((d) => d.entryPoint));
  for (const folder of folders) {
    if (!entryPoints.has(folder))
      problems.push(`functions/${folder} is not deployed with entry point ${folder}`);
  }
  for (const [key, { entryPoint }] of deployed) {
    if (!folders.includes(entryPoint))
      problems.push(`function ${key}: entry point ${entryPoint} has no folder`);
  }
  for (const [name, body] of resourcesOf(model, FUNCTION)) {
    const runtime = block(body, 'build_config')?.runtime;
    const variable = typeof runtime === 'string' ? /^\$\{var\.(\w+)\}$/.exec(runtime)?.[1] : undefined;
    const value = variable === undefined ? runtime : model.variables[variable]?.default;
    const major = Number(/^nodejs(\d+)$/.exec(String(value))?.[1] ?? 0);
    if (major < 24) problems.push(`${FUNCTION}.${name}: runtime ${String(value)} is not nodejs24 or later`);
  }
  return problems;
}

interface Setting {
  schema: z.ZodType;
}

/** Values tried for an interpolated variable whose value is only known at apply time. */
const PLACEHOLDERS = ['placeholder-value', 'https://placeholder.example', '12345'];

/**
 * The environment each function gets: `merge(local.common_env, { for ... in local.github_env ... if
 * each.value.github ... })` plus secret-backed variables. Returns the variable names and literal values.
 */
function functionEnvironment(
  model: TerraformModel,
  spec: unknown,
  serviceConfig: Record<string, unknown> | undefined,
): { env: Map<string, string | undefined>; problems: string[] } {
  const env = new Map<string, string | undefined>();
  const problems: string[] = [];
  const expression = String(serviceConfig?.environment_variables ?? '');
  const locals = [...expression.matchAll(/local\.(\w+)/g)].map((m) => m[1] ?? '');
  const understood =
    locals.length === 2 &&
    locals[0] === 'common_env' &&
    locals[1] === 'github_env' &&
    expression.includes('each.value.github');
  if (!understood && !(locals.length === 1 && locals[0] === 'common_env')) {
    problems.push(
      `environment_variables is not merge(local.common_env, <github_env when github>): ${expression}`,
    );
  }
  const github = isBody(spec) && spec.github === true;
  for (const name of locals) {
    const map = model.locals[name];
    if (!isBody(map) || (name === 'github_env' && !github)) continue;
    for (const [key, value] of Object.entries(map)) {
      env.set(key, typeof value === 'string' && !value.includes('${') ? value : undefined);
    }
  }
  const dynamicSecret = block(block(serviceConfig, 'dynamic'), 'secret_environment_variables');
  const mounted = [
    ...(Array.isArray(serviceConfig?.secret_environment_variables)
      ? serviceConfig.secret_environment_variables
      : []),
    ...(dynamicSecret && (github || !String(dynamicSecret.for_each).includes('each.value.github'))
      ? [block(dynamicSecret, 'content')]
      : []),
  ];
  for (const secret of mounted) if (isBody(secret)) env.set(String(secret.key), undefined);
  return { env, problems };
}

/**
 * Every variable set on a function is a setting, literal values pass its schema, BRIDGE_BACKEND is gcp,
 * and loadConfig accepts the environment (with GITHUB_APP_ID unset and set when it can be set).
 */
export function checkEnvironment(
  model: TerraformModel,
  settings: Record<string, Setting>,
  loadConfig: (env: Record<string, string | undefined>) => unknown,
): string[] {
  const problems: string[] = [];
  for (const [name, body] of resourcesOf(model, FUNCTION)) {
    const serviceConfig = block(body, 'service_config');
    for (const [key, { spec }] of deployedFunctions(model)) {
      if (!instances(model, body).some((i) => i.key === key) && key !== name) continue;
      const found = functionEnvironment(model, spec, serviceConfig);
      problems.push(...found.problems.map((p) => `function ${key}: ${p}`));
      const env: Record<string, string | undefined> = {};
      for (const [variable, literal] of found.env) {
        const setting = settings[variable];
        if (!setting) {
          problems.push(`function ${key}: ${variable} is not a setting in shared/config/settings.ts`);
          continue;
        }
        if (literal !== undefined && !setting.schema.safeParse(literal).success) {
          problems.push(`function ${key}: ${variable}=${JSON.stringify(literal)} is not a valid value`);
        }
        env[variable] = literal ?? PLACEHOLDERS.find((p) => setting.schema.safeParse(p).success);
      }
      if (env.BRIDGE_BACKEND !== 'gcp') problems.push(`function ${key}: BRIDGE_BACKEND is not "gcp"`);
      // github_env drops empty values: GITHUB_APP_ID is only there when var.github_app_id is set.
      const variants = 'GITHUB_APP_ID' in env ? [{ ...env, GITHUB_APP_ID: undefined }, env] : [env];
      for (const variant of variants) {
        try {
          loadConfig(variant);
        } catch (err) {
          const detail = err instanceof Error ? err.message.replace(/\s+/g, ' ') : String(err);
          problems.push(`function ${key}: loadConfig rejects its environment: ${detail}`);
        }
      }
    }
  }
  return problems;
}
