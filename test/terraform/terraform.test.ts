import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkTerraform, functionFolders } from './support/all-checks.ts';
import { type Mutation, mutate } from './support/mutate.ts';
import { readTerraformSources } from './support/terraform-model.ts';

const TERRAFORM_DIR = fileURLToPath(new URL('../../terraform/', import.meta.url));
const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));

/** Each mutation breaks one thing a check guards; the check must name it. */
const MUTATIONS: Mutation[] = [
  {
    name: 'dangling resource reference',
    file: 'pubsub.tf',
    from: 'google_pubsub_topic.dead_letter[each.key].id',
    to: 'google_pubsub_topic.dead_letters[each.key].id',
    check: 'references',
    reported: /google_pubsub_topic\.dead_letters is not declared/,
  },
  {
    name: 'undeclared variable',
    file: 'functions.tf',
    from: 'var.memory',
    to: 'var.memory_size',
    check: 'references',
    reported: /var\.memory_size is not declared/,
  },
  {
    name: 'undeclared local inside a for body',
    file: 'iam.tf',
    from: ': fn if spec.public',
    to: ': local.missing_name if spec.public',
    check: 'references',
    reported: /local\.missing_name is not declared/,
  },
  {
    name: 'undeclared data source',
    file: 'functions.tf',
    from: 'data.google_project.this.number',
    to: 'data.google_project.that.number',
    check: 'references',
    reported: /data\.google_project\.that is not declared/,
  },
  {
    name: 'undeclared module',
    file: 'outputs.tf',
    from: 'value       = local.urls',
    to: 'value       = module.edge.url',
    check: 'references',
    reported: /module\.edge is not declared/,
  },
  {
    name: 'undeclared provider',
    file: 'apis.tf',
    from: 'provider   = google-beta',
    to: 'provider   = google-alpha',
    check: 'references',
    reported: /provider google-alpha is not declared/,
  },
  {
    name: 'variable declared twice',
    file: 'variables.tf',
    from: /$/,
    to: '\nvariable "region" {\n  description = "again"\n  type        = string\n}\n',
    check: 'references',
    reported: /var\.region is declared more than once/,
  },
  {
    name: 'a function folder not deployed',
    file: 'functions.tf',
    from: '"scheduler" = {',
    to: '"schedulr" = {',
    check: 'functions',
    reported: /functions\/scheduler is not deployed/,
  },
  {
    name: 'entry point not the folder name',
    file: 'functions.tf',
    from: 'entry_point     = each.key',
    to: 'entry_point     = "main"',
    check: 'functions',
    reported: /functions\/github-webhook is not deployed with entry point github-webhook/,
  },
  {
    name: 'runtime older than Node 24',
    file: 'variables.tf',
    from: 'default     = "nodejs24"',
    to: 'default     = "nodejs22"',
    check: 'functions',
    reported: /runtime nodejs22 is not nodejs24 or later/,
  },
  {
    name: 'GOOGLE_CLOUD_PROJECT missing',
    file: 'functions.tf',
    from: /\n\s+GOOGLE_CLOUD_PROJECT\s+= var\.project_id/,
    to: '',
    check: 'environment',
    reported: /loadConfig rejects its environment: .*GOOGLE_CLOUD_PROJECT: required when BRIDGE_BACKEND=gcp/,
  },
  {
    name: 'local backend deployed',
    file: 'functions.tf',
    from: /BRIDGE_BACKEND\s+= "gcp"/,
    to: 'BRIDGE_BACKEND = "local"',
    check: 'environment',
    reported: /BRIDGE_BACKEND is not "gcp"/,
  },
  {
    name: 'unknown variable name',
    file: 'functions.tf',
    from: /LOG_LEVEL\s+= var\.log_level/,
    to: 'LOGLEVEL = var.log_level',
    check: 'environment',
    reported: /LOGLEVEL is not a setting/,
  },
  {
    name: 'invalid literal value',
    file: 'functions.tf',
    from: /LOG_LEVEL\s+= var\.log_level/,
    to: 'LOG_LEVEL = "verbose"',
    check: 'environment',
    reported: /LOG_LEVEL="verbose" is not a valid value/,
  },
  {
    name: 'App id without the App key',
    file: 'functions.tf',
    from: 'key        = "GITHUB_APP_PRIVATE_KEY"',
    to: 'key        = "GITHUB_TOKEN"',
    check: 'environment',
    reported: /GITHUB_APP_PRIVATE_KEY: required when GITHUB_APP_ID is set/,
  },
  {
    name: 'the API told drive-notifications’ address (OpenAPI servers and OAuth callback would name it)',
    file: 'functions.tf',
    from: `: "https://\${var.name_prefix}-status-api-\${local.run_url_suffix}"`,
    to: `: "https://\${var.name_prefix}-drive-notifications-\${local.run_url_suffix}"`,
    check: 'addresses',
    reported: /BRIDGE_API_URL is not the status-api function's address/,
  },
  {
    name: 'one address for every function again',
    file: 'functions.tf',
    from: /\n\s+BRIDGE_API_URL\s+= local\.urls\.api/,
    to: '\n    BRIDGE_PUBLIC_URL = local.urls.drive_notifications',
    check: 'addresses',
    reported: /functions are not told BRIDGE_API_URL/,
  },
  {
    name: 'Drive told an address without the path it serves',
    file: 'functions.tf',
    from: '}/drive/notifications"',
    to: '}"',
    check: 'addresses',
    reported: /BRIDGE_DRIVE_NOTIFICATIONS_URL does not end in \/drive\/notifications/,
  },
  {
    name: 'TTL policy missing',
    file: 'firestore.tf',
    from: '["deliveries", "idempotency", "oauth-states", "health-history", "notification-marks", "ai-calls", "ai-usage", "ai-quota-overrides", "change-summaries", "conflict-suggestions"]',
    to: '["deliveries", "oauth-states", "health-history", "notification-marks", "ai-calls", "ai-usage", "ai-quota-overrides", "change-summaries", "conflict-suggestions"]',
    check: 'ttl',
    reported: /collection idempotency has no TTL policy/,
  },
  {
    name: 'TTL on the wrong field',
    file: 'firestore.tf',
    from: 'field      = "expireAt"',
    to: 'field      = "expiresAt"',
    check: 'ttl',
    reported: /collection deliveries has no TTL policy on expireAt/,
  },
  {
    name: 'index on an unknown collection',
    file: 'firestore.tf',
    from: 'collection = "operations"',
    to: 'collection = "operation"',
    check: 'indexes',
    reported: /collection operation is not in COLLECTIONS/,
  },
  {
    name: 'index outside the document body',
    file: 'firestore.tf',
    from: '[["data.tenant", "ASCENDING"]',
    to: '[["tenant", "ASCENDING"]',
    check: 'indexes',
    reported: /links-by-tenant\]: tenant is not under data\./,
  },
  {
    name: 'a scheduler job never scheduled',
    file: 'scheduler.tf',
    from: '"renew-channels" = {',
    to: '"renew-drive-channels" = {',
    check: 'scheduler',
    reported: /scheduler job renew-channels is never scheduled/,
  },
  {
    name: 'scheduler message without the job name',
    file: 'scheduler.tf',
    from: 'jsonencode({ job = each.key })',
    to: 'jsonencode({ name = each.key })',
    check: 'scheduler',
    reported: /message data is not \{"job": each\.key\}/,
  },
  {
    name: 'a secret missing',
    file: 'secrets.tf',
    from: /\n\s+"bridge-data-key"\s+=[^\n]*/,
    to: '',
    check: 'secrets',
    reported: /secret bridge-data-key is not declared/,
  },
  {
    name: 'rotation without a topic',
    file: 'secrets.tf',
    from: /\n {2}topics \{[^}]*\}\n/,
    to: '\n',
    check: 'secrets',
    reported: /rotation without topics/,
  },
  {
    name: 'variable without description',
    file: 'variables.tf',
    from: 'description = "Region for the functions, Cloud Scheduler jobs and the source bucket."',
    to: '',
    check: 'documentation',
    reported: /variable region has no description/,
  },
];

describe('terraform/ checked offline against the code', () => {
  let sources: Record<string, string>;
  let folders: string[];
  beforeAll(() => {
    sources = readTerraformSources(TERRAFORM_DIR);
    folders = functionFolders(FUNCTIONS_DIR);
  });

  test('the module passes every check', async () => {
    expect(Object.keys(sources).length).toBeGreaterThan(5);
    const problems = await checkTerraform(sources, folders);
    expect(problems).toEqual({
      references: [],
      functions: [],
      environment: [],
      topics: [],
      push: [],
      topology: [],
      addresses: [],
      ttl: [],
      indexes: [],
      secrets: [],
      scheduler: [],
      documentation: [],
    });
  });

  test.each(MUTATIONS)('reports: $name', async (m) => {
    const problems = await checkTerraform(mutate(sources, m), folders);
    expect(problems[m.check].join('\n')).toMatch(m.reported);
  });

  test('a function folder without a deployment is reported', async () => {
    const problems = await checkTerraform(sources, [...folders, 'audit-log']);
    expect(problems.functions).toContain('functions/audit-log is not deployed with entry point audit-log');
  });
});
