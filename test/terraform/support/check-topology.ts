import type { Topology } from './check-messaging.ts';
import { block, instances, resourcesOf } from './terraform-lookup.ts';
import { evaluate, type TerraformModel } from './terraform-model.ts';

const FUNCTION = 'google_cloudfunctions2_function';
const INGRESS = /^\$\{(.+) \? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"\}$/;
/** Locals that turn the topology's functions into IAM grants and invoker bindings. */
const FROM_TOPOLOGY = ['function_topic_grants', 'function_secret_grants', 'public_functions'];

/**
 * The functions are the topology's, no more and no fewer; each gets the topology's timeout and
 * ingress, and the IAM grants (topics published, secrets read, public invokers) come from it.
 */
export function checkTopologyFunctions(model: TerraformModel, topology: Topology): string[] {
  const problems: string[] = [];
  const expected = Object.keys(topology.functions);
  for (const [name, body] of resourcesOf(model, FUNCTION)) {
    const service = block(body, 'service_config');
    const each = instances(model, body);
    const keys = each.map((e) => e.key);
    for (const fn of expected)
      if (!keys.includes(fn)) problems.push(`function ${fn} of shared/topology is not deployed`);
    for (const e of each) {
      const spec = topology.functions[e.key];
      if (!spec) {
        problems.push(`${FUNCTION}.${name}[${e.key}]: not a function of shared/topology`);
        continue;
      }
      const timeout = evaluate(model, service?.timeout_seconds, e);
      if (timeout !== spec.timeout_seconds)
        problems.push(
          `${FUNCTION}.${name}[${e.key}]: timeout_seconds is ${String(timeout)}, shared/topology says ${spec.timeout_seconds}`,
        );
      const condition = INGRESS.exec(String(service?.ingress_settings))?.[1];
      const open = condition === undefined ? undefined : evaluate(model, `\${${condition}}`, e);
      if (open !== spec.public)
        problems.push(`${FUNCTION}.${name}[${e.key}]: ingress does not follow shared/topology's public`);
    }
  }
  for (const local of FROM_TOPOLOGY) {
    if (!String(model.locals[local]).includes('in local.topology.functions'))
      problems.push(`local.${local} is not computed from local.topology.functions`);
  }
  return problems;
}

/** Each address setting and the function (and path) that answers it. */
const ADDRESSES: Array<{ setting: string; function: string; path: string }> = [
  { setting: 'BRIDGE_API_URL', function: 'status-api', path: '' },
  {
    setting: 'BRIDGE_DRIVE_NOTIFICATIONS_URL',
    function: 'drive-notifications',
    path: '/drive/notifications',
  },
  { setting: 'BRIDGE_GITHUB_WEBHOOK_URL', function: 'github-webhook', path: '/github/webhook' },
];

/**
 * Every function is told each address, and each address is its own function's Cloud Run URL (unless
 * var.public_url puts one domain in front of them all), with the path that function serves.
 */
export function checkAddresses(model: TerraformModel, functions: readonly string[]): string[] {
  const problems: string[] = [];
  const env = model.locals.common_env as Record<string, unknown> | undefined;
  for (const a of ADDRESSES) {
    const expression = env?.[a.setting];
    if (expression === undefined) {
      problems.push(`functions are not told ${a.setting}`);
      continue;
    }
    const text = String(evaluate(model, expression) ?? expression);
    const others = functions.filter((f) => f !== a.function && text.includes(`-${f}-`));
    if (!text.includes(`-${a.function}-`) || others.length > 0)
      problems.push(`${a.setting} is not the ${a.function} function's address (${text})`);
    else if (!text.endsWith(`${a.path}`)) problems.push(`${a.setting} does not end in ${a.path || '/'}`);
  }
  if (env && 'BRIDGE_PUBLIC_URL' in env)
    problems.push('BRIDGE_PUBLIC_URL is set: on GCP no one function answers every route');
  return problems;
}
