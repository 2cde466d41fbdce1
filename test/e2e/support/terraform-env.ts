import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionName } from '../../../shared/topology/index.ts';
import { isBody, parseTerraform } from '../../terraform/support/terraform-model.ts';

const TERRAFORM = fileURLToPath(new URL('../../../terraform/', import.meta.url));

/**
 * What the Terraform references in a function's environment stand for in this run: the values
 * `terraform apply` would put there (variables, the Firestore database, each function's URL).
 */
export interface TerraformBindings {
  'var.project_id': string;
  'var.topic_prefix': string;
  'var.log_level': string;
  'var.github_api_url': string;
  'var.github_app_id': string;
  'var.github_oauth_client_id': string;
  'google_firestore_database.main.name': string;
  'local.urls.api': string;
  'local.urls.drive_notifications': string;
  'local.urls.github_webhook': string;
}

export interface FunctionDeployment {
  /** `--target`: the entry point, the function's key in functions.tf. */
  entryPoint: string;
  /** service_config.environment_variables as Terraform computes them. */
  env: Record<string, string>;
}

const REFERENCE = /^\$\{([\w.]+)\}$/;

function resolveExpression(name: string, expression: unknown, bindings: TerraformBindings): string {
  if (typeof expression !== 'string') throw new Error(`${name}: not a string in functions.tf`);
  if (!expression.includes('${')) return expression;
  const reference = REFERENCE.exec(expression)?.[1];
  if (reference === undefined || !(reference in bindings))
    throw new Error(
      `${name} = ${expression} in terraform/functions.tf: the e2e does not know what that stands for; add it to TerraformBindings`,
    );
  return bindings[reference as keyof TerraformBindings];
}

/**
 * Each function's environment as terraform/functions.tf sets it: `merge(local.common_env, github_env
 * without empty values when the function calls GitHub)`. Read from the .tf files, so a variable
 * Terraform adds reaches the functions here too (or fails, naming it, until it is bound).
 */
export async function terraformDeployments(
  bindings: TerraformBindings,
): Promise<Record<FunctionName, FunctionDeployment>> {
  const sources: Record<string, string> = {};
  for (const file of readdirSync(TERRAFORM)) {
    if (file.endsWith('.tf') || file.endsWith('.json'))
      sources[file] = readFileSync(join(TERRAFORM, file), 'utf8');
  }
  const model = await parseTerraform(sources);
  const { functions, common_env: common, github_env: github } = model.locals;
  if (!isBody(functions) || !isBody(common) || !isBody(github))
    throw new Error('terraform/functions.tf: locals functions, common_env or github_env not found');
  if (bindings['var.github_app_id'] !== '')
    throw new Error('the e2e runs token mode: GITHUB_APP_PRIVATE_KEY would be a mounted secret');
  const out: Partial<Record<FunctionName, FunctionDeployment>> = {};
  for (const [key, spec] of Object.entries(functions)) {
    const env: Record<string, string> = {};
    for (const [name, expression] of Object.entries(common))
      env[name] = resolveExpression(name, expression, bindings);
    if (isBody(spec) && spec.github === true) {
      for (const [name, expression] of Object.entries(github)) {
        const value = resolveExpression(name, expression, bindings);
        if (value !== '') env[name] = value;
      }
    }
    out[key as FunctionName] = { entryPoint: key, env };
  }
  return out as Record<FunctionName, FunctionDeployment>;
}
