import { deployedFunctions } from './check-functions.ts';
import { block, EACH_KEY, instances, interpolation, resourcesOf } from './terraform-lookup.ts';
import type { Body, TerraformModel } from './terraform-model.ts';

const PREFIX = '<prefix>';
const TOPIC_PREFIX = interpolation('var.topic_prefix');

/** Topic names a resource declares, with the topic_prefix variable shown as <prefix>. */
function topicNames(model: TerraformModel, body: Body): string[] {
  const template = String(body.name).replaceAll(TOPIC_PREFIX, PREFIX);
  const each = instances(model, body);
  if (each.length === 0) return [template];
  return each.map(({ key }) => template.replaceAll(EACH_KEY, key));
}

/** Every topic of TOPICS exists under BRIDGE_TOPIC_PREFIX, and the functions are told that prefix. */
export function checkTopics(model: TerraformModel, topics: string[]): string[] {
  const problems: string[] = [];
  const declared = new Set(
    resourcesOf(model, 'google_pubsub_topic').flatMap(([, b]) => topicNames(model, b)),
  );
  for (const topic of topics) {
    if (!declared.has(`${PREFIX}${topic}`))
      problems.push(`topic ${topic} is not declared as <topic_prefix>${topic}`);
  }
  const env = model.locals.common_env as Record<string, unknown> | undefined;
  if (env?.BRIDGE_TOPIC_PREFIX !== TOPIC_PREFIX) {
    problems.push('functions do not get BRIDGE_TOPIC_PREFIX = var.topic_prefix');
  }
  return problems;
}

/** `${google_pubsub_topic.topic[each.key].id}` → the topic key for one instance. */
function keyed(expression: unknown, type: string, key: string, value: unknown): string | undefined {
  const match = new RegExp(`${type}\\.\\w+\\[(each\\.key|each\\.value|"[^"]+")\\]`).exec(String(expression));
  const index = match?.[1];
  if (index === 'each.key') return key;
  if (index === 'each.value') return typeof value === 'string' ? value : undefined;
  return index?.slice(1, -1);
}

/**
 * Every push subscription delivers to a deployed function with an OIDC token, retries with backoff,
 * dead-letters, keeps ordering and has an ack deadline; every expected topic → function pair exists.
 */
export function checkPushSubscriptions(model: TerraformModel, expected: Record<string, string>): string[] {
  const problems: string[] = [];
  const functions = deployedFunctions(model);
  const pairs = new Set<string>();
  for (const [name, body] of resourcesOf(model, 'google_pubsub_subscription')) {
    const push = block(body, 'push_config');
    if (!push) continue;
    const where = `google_pubsub_subscription.${name}`;
    if (body.enable_message_ordering !== true) problems.push(`${where}: message ordering is not enabled`);
    if (body.ack_deadline_seconds === undefined) problems.push(`${where}: no ack deadline`);
    const retry = block(body, 'retry_policy');
    if (!retry?.minimum_backoff || !retry.maximum_backoff)
      problems.push(`${where}: no retry policy with backoff`);
    const dead = block(body, 'dead_letter_policy');
    if (!dead?.dead_letter_topic || dead.max_delivery_attempts === undefined) {
      problems.push(`${where}: no dead-letter policy`);
    }
    if (!block(push, 'oidc_token')?.service_account_email)
      problems.push(`${where}: push without an OIDC token`);
    const each = instances(model, body);
    for (const { key, value } of each.length > 0 ? each : [{ key: name, value: undefined }]) {
      const target = keyed(push.push_endpoint, 'google_cloudfunctions2_function', key, value);
      const topic = keyed(body.topic, 'google_pubsub_topic', key, value);
      if (target === undefined || !functions.has(target)) {
        problems.push(
          `${where}[${key}]: push endpoint ${String(push.push_endpoint)} is not a deployed function`,
        );
        continue;
      }
      pairs.add(`${topic} -> ${target}`);
    }
  }
  for (const [topic, target] of Object.entries(expected)) {
    if (!pairs.has(`${topic} -> ${target}`))
      problems.push(`no push subscription delivers ${topic} to ${target}`);
  }
  return problems;
}
