import { block, EACH_KEY, instances, resourcesOf } from './terraform-lookup.ts';
import { isBody, type TerraformModel } from './terraform-model.ts';

function perInstance(
  model: TerraformModel,
  type: string,
  attribute: string,
): Array<{ name: string; value: string }> {
  return resourcesOf(model, type).flatMap(([name, body]) => {
    const template = String(body[attribute]);
    const each = instances(model, body);
    if (each.length === 0) return [{ name, value: template }];
    return each.map(({ key, value }) => ({
      name,
      value: template
        .replaceAll(EACH_KEY, key)
        .replace(/\$\{each\.value\.(\w+)\}/g, (_m, field: string) =>
          isBody(value) ? String(value[field]) : '',
        ),
    }));
  });
}

/** A Firestore TTL policy on `expireAt` for each collection whose documents expire. */
export function checkTtl(model: TerraformModel, collections: readonly string[]): string[] {
  const covered = new Set<string>();
  for (const [, body] of resourcesOf(model, 'google_firestore_field')) {
    if (body.field !== 'expireAt' || !block(body, 'ttl_config')) continue;
    if (body.collection === EACH_KEY) for (const { key } of instances(model, body)) covered.add(key);
    else covered.add(String(body.collection));
  }
  return collections
    .filter((c) => !covered.has(c))
    .map((c) => `collection ${c} has no TTL policy on expireAt`);
}

/**
 * Composite indexes name collections the code uses, on `data.<field>` paths (the Firestore store keeps
 * a document's body in the map field `data`).
 */
export function checkIndexes(model: TerraformModel, collections: readonly string[]): string[] {
  const problems = perInstance(model, 'google_firestore_index', 'collection')
    .filter(({ value }) => !collections.includes(value))
    .map(({ name, value }) => `google_firestore_index.${name}: collection ${value} is not in COLLECTIONS`);
  for (const [name, body] of resourcesOf(model, 'google_firestore_index')) {
    for (const { key, value } of instances(model, body)) {
      const fields = isBody(value) && Array.isArray(value.fields) ? value.fields : [];
      for (const field of fields) {
        const path = Array.isArray(field) ? String(field[0]) : '';
        if (!path.startsWith('data.'))
          problems.push(`google_firestore_index.${name}[${key}]: ${path} is not under data.`);
      }
    }
  }
  return problems;
}

/** Every job the scheduler knows runs on a schedule, publishing {"job": <name>} to scheduler-jobs. */
export function checkSchedulerJobs(model: TerraformModel, jobs: readonly string[]): string[] {
  const problems: string[] = [];
  const scheduled = new Set<string>();
  for (const [name, body] of resourcesOf(model, 'google_cloud_scheduler_job')) {
    const target = block(body, 'pubsub_target');
    if (!/google_pubsub_topic\.\w+\["scheduler-jobs"\]/.test(String(target?.topic_name))) {
      problems.push(`google_cloud_scheduler_job.${name}: does not publish to scheduler-jobs`);
    }
    if (!/jsonencode\(\{\s*job\s*=\s*each\.key\s*\}\)/.test(String(target?.data))) {
      problems.push(`google_cloud_scheduler_job.${name}: message data is not {"job": each.key}`);
    }
    for (const { key } of instances(model, body)) scheduled.add(key);
  }
  for (const job of scheduled)
    if (!jobs.includes(job)) problems.push(`scheduled job ${job} is unknown to the scheduler`);
  for (const job of jobs) if (!scheduled.has(job)) problems.push(`scheduler job ${job} is never scheduled`);
  return problems;
}

/** Every secret of SECRETS exists in Secret Manager under its own name; rotating ones notify a topic. */
export function checkSecrets(model: TerraformModel, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  const declared = new Set(
    perInstance(model, 'google_secret_manager_secret', 'secret_id').map((s) => s.value),
  );
  for (const secret of secrets) if (!declared.has(secret)) problems.push(`secret ${secret} is not declared`);
  for (const [name, body] of resourcesOf(model, 'google_secret_manager_secret')) {
    const rotates = block(body, 'rotation') ?? block(block(body, 'dynamic'), 'rotation');
    if (rotates && !block(body, 'topics'))
      problems.push(`google_secret_manager_secret.${name}: rotation without topics`);
  }
  return problems;
}

/** Variables and outputs say what they are. */
export function checkDocumentation(model: TerraformModel): string[] {
  const problems: string[] = [];
  for (const [name, body] of Object.entries(model.variables)) {
    if (typeof body.description !== 'string' || body.description.trim() === '') {
      problems.push(`variable ${name} has no description`);
    }
    if (body.type === undefined) problems.push(`variable ${name} has no type`);
  }
  for (const [name, body] of Object.entries(model.outputs)) {
    if (typeof body.description !== 'string' || body.description.trim() === '') {
      problems.push(`output ${name} has no description`);
    }
  }
  return problems;
}
