import type { terraformTopology } from '../../../shared/topology/index.ts';
import { deployedFunctions } from './check-functions.ts';
import { block, expand, instances, interpolation, resourcesOf } from './terraform-lookup.ts';
import { type Body, evaluate, isBody, type TerraformModel } from './terraform-model.ts';

export type Topology = ReturnType<typeof terraformTopology>;
type Subscription = Topology['push_subscriptions'][string];

const PREFIX = '<prefix>';
const TOPIC_PREFIX = interpolation('var.topic_prefix');

interface Declared {
  where: string;
  key: string;
  value: unknown;
  body: Body;
  /** The deployed name, with the topic_prefix variable shown as <prefix>. */
  name: string;
}

/** Every instance of a resource type, with its name expanded. */
function declared(model: TerraformModel, type: string): Declared[] {
  return resourcesOf(model, type).flatMap(([resource, body]) => {
    const template = String(body.name).replaceAll(TOPIC_PREFIX, PREFIX);
    const each = instances(model, body);
    const all = each.length > 0 ? each : [{ key: resource, value: undefined }];
    return all.map((e) => ({
      where: `${type}.${resource}`,
      key: e.key,
      value: e.value,
      body,
      name: each.length > 0 ? expand(template, e) : template,
    }));
  });
}

/** Missing and extra names, the first kind worded for what must exist. */
function exactly(kind: string, expected: string[], found: Declared[]): string[] {
  const names = new Set(found.map((d) => d.name));
  return [
    ...expected
      .filter((n) => !names.has(`${PREFIX}${n}`))
      .map((n) => `${kind} ${n} is not declared as <topic_prefix>${n}`),
    ...found
      .filter((d) => !expected.some((n) => d.name === `${PREFIX}${n}`))
      .map((d) => `${d.where}[${d.key}]: ${kind} ${d.name} is not in shared/topology`),
  ];
}

/** Terraform declares exactly the topology's topics and dead-letter topics, under BRIDGE_TOPIC_PREFIX. */
export function checkTopics(model: TerraformModel, topology: Topology): string[] {
  const subscriptions = Object.values(topology.push_subscriptions);
  const expected = [...Object.keys(topology.topics), ...subscriptions.map((s) => s.dead_letter_topic)];
  const problems = exactly('topic', expected, declared(model, 'google_pubsub_topic'));
  const env = model.locals.common_env as Record<string, unknown> | undefined;
  if (env?.BRIDGE_TOPIC_PREFIX !== TOPIC_PREFIX) {
    problems.push('functions do not get BRIDGE_TOPIC_PREFIX = var.topic_prefix');
  }
  return problems;
}

/** `${google_pubsub_topic.topic[each.key].id}` → the key it indexes, for one instance. */
function keyed(expression: unknown, type: string, key: string, value: unknown): string | undefined {
  const match = new RegExp(`${type}\\.\\w+\\[(each\\.key|each\\.value(?:\\.\\w+)?|"[^"]+")\\]`).exec(
    String(expression),
  );
  const index = match?.[1];
  if (index === undefined) return undefined;
  if (index.startsWith('"')) return index.slice(1, -1);
  if (index === 'each.key') return key;
  const field = index.slice('each.value.'.length);
  const resolved = index === 'each.value' ? value : isBody(value) ? value[field] : undefined;
  return typeof resolved === 'string' ? resolved : undefined;
}

/** Settings a push subscription takes from the topology: [what, Terraform's value, the topology's]. */
function settings(model: TerraformModel, d: Declared, spec: Subscription): Array<[string, unknown, unknown]> {
  const each = { key: d.key, value: d.value };
  const value = (body: Body | undefined, attribute: string) => evaluate(model, body?.[attribute], each);
  return [
    ['ack_deadline_seconds', value(d.body, 'ack_deadline_seconds'), spec.ack_deadline_seconds],
    ['enable_message_ordering', value(d.body, 'enable_message_ordering'), spec.enable_message_ordering],
    ['minimum_backoff', value(block(d.body, 'retry_policy'), 'minimum_backoff'), spec.minimum_backoff],
    ['maximum_backoff', value(block(d.body, 'retry_policy'), 'maximum_backoff'), spec.maximum_backoff],
    [
      'max_delivery_attempts',
      value(block(d.body, 'dead_letter_policy'), 'max_delivery_attempts'),
      spec.max_delivery_attempts,
    ],
  ];
}

/**
 * Terraform declares exactly the topology's push and dead-letter subscriptions. Each push one delivers
 * its topic to the topology's consumer (a deployed function) with an OIDC token, and carries the
 * topology's ack deadline, retry backoff, dead-letter policy and ordering.
 */
export function checkSubscriptions(model: TerraformModel, topology: Topology): string[] {
  const specs = Object.entries(topology.push_subscriptions);
  const found = declared(model, 'google_pubsub_subscription');
  const problems = exactly(
    'subscription',
    specs.flatMap(([, s]) => [s.name, s.dead_letter_subscription]),
    found,
  );
  const functions = deployedFunctions(model);
  const pairs = new Set<string>();
  for (const d of found) {
    const push = block(d.body, 'push_config');
    if (!push) continue;
    const where = `${d.where}[${d.key}]`;
    const [topic, spec] = specs.find(([, s]) => d.name === `${PREFIX}${s.name}`) ?? [];
    if (!block(d.body, 'retry_policy')) problems.push(`${where}: no retry policy with backoff`);
    const dead = block(d.body, 'dead_letter_policy');
    if (!dead?.dead_letter_topic) problems.push(`${d.where}: no dead-letter policy`);
    if (!block(push, 'oidc_token')?.service_account_email)
      problems.push(`${where}: push without an OIDC token`);
    if (spec) {
      for (const [what, actual, wanted] of settings(model, d, spec)) {
        if (what === 'enable_message_ordering' && wanted === true && actual !== true)
          problems.push(`${where}: message ordering is not enabled`);
        else if (actual !== wanted)
          problems.push(`${where}: ${what} is ${String(actual)}, shared/topology says ${String(wanted)}`);
      }
    }
    const target = keyed(push.push_endpoint, 'google_cloudfunctions2_function', d.key, d.value);
    const delivered = keyed(d.body.topic, 'google_pubsub_topic', d.key, d.value);
    if (target === undefined || !functions.has(target)) {
      problems.push(`${where}: push endpoint ${String(push.push_endpoint)} is not a deployed function`);
      continue;
    }
    if (topic !== undefined && delivered !== topic)
      problems.push(`${where}: delivers topic ${String(delivered)}, shared/topology says ${topic}`);
    pairs.add(`${delivered} -> ${target}`);
  }
  for (const [topic, s] of specs) {
    if (!pairs.has(`${topic} -> ${s.function}`))
      problems.push(`no push subscription delivers ${topic} to ${s.function}`);
  }
  return problems;
}
