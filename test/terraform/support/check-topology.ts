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
