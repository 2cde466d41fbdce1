import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { terraformTopologyJson } from '../../shared/topology/index.ts';
import { checkTerraform, functionFolders } from './support/all-checks.ts';
import { type Mutation, mutate } from './support/mutate.ts';
import { readTerraformSources } from './support/terraform-model.ts';

const TERRAFORM_DIR = fileURLToPath(new URL('../../terraform/', import.meta.url));
const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));

/**
 * Terraform declares exactly the topics, subscriptions and functions of shared/topology, with its
 * delivery settings: each mutation makes the module disagree with the code in one way.
 */
const MUTATIONS: Mutation[] = [
  {
    name: 'a topic missing (topology.json behind the code)',
    file: 'topology.json',
    from: /,\n {4}"scheduler-jobs": \{\n {6}"consumer": "scheduler"\n {4}\}/,
    to: '',
    check: 'topics',
    reported: /topic scheduler-jobs is not declared/,
  },
  {
    name: 'a topic the topology does not have',
    file: 'pubsub.tf',
    from: /$/,
    to: `\nresource "google_pubsub_topic" "audit" {\n  project = var.project_id\n  name    = "\${var.topic_prefix}audit"\n}\n`,
    check: 'topics',
    reported: /google_pubsub_topic\.audit\[audit\]: topic <prefix>audit is not in shared\/topology/,
  },
  {
    name: 'topic prefix ignored',
    file: 'pubsub.tf',
    from: `name       = "\${var.topic_prefix}\${each.key}"\n`,
    to: `name       = "\${each.key}"\n`,
    check: 'topics',
    reported: /topic github-events is not declared as <topic_prefix>github-events/,
  },
  {
    name: 'ordering off',
    file: 'pubsub.tf',
    from: 'enable_message_ordering = each.value.enable_message_ordering',
    to: 'enable_message_ordering = false',
    check: 'push',
    reported: /message ordering is not enabled/,
  },
  {
    name: 'no dead-letter policy',
    file: 'pubsub.tf',
    from: /\n {2}dead_letter_policy \{[^}]*\}\n/,
    to: '\n',
    check: 'push',
    reported: /google_pubsub_subscription\.push: no dead-letter policy/,
  },
  {
    name: 'no retry policy',
    file: 'pubsub.tf',
    from: /\n {2}retry_policy \{[^}]*\}\n/,
    to: '\n',
    check: 'push',
    reported: /no retry policy/,
  },
  {
    name: 'no OIDC token',
    file: 'pubsub.tf',
    from: /\n {4}oidc_token \{[^}]*\}\n/,
    to: '\n',
    check: 'push',
    reported: /push without an OIDC token/,
  },
  {
    name: 'push to a function that is not deployed',
    file: 'topology.json',
    from: /("secret-rotation": \{\n {6}"name": "secret-rotation-push",\n {6}"function": )"scheduler"/,
    to: '$1"rotator"',
    check: 'push',
    reported: /no push subscription delivers secret-rotation to scheduler/,
  },
  {
    name: 'a subscription renamed in Terraform only',
    file: 'pubsub.tf',
    from: `name    = "\${var.topic_prefix}\${each.value.name}"`,
    to: `name    = "\${var.topic_prefix}\${each.key}-pushed"`,
    check: 'push',
    reported: /subscription github-events-push is not declared as <topic_prefix>github-events-push/,
  },
  {
    name: 'an ack deadline not taken from the topology',
    file: 'pubsub.tf',
    from: 'ack_deadline_seconds       = each.value.ack_deadline_seconds',
    to: 'ack_deadline_seconds       = 60',
    check: 'push',
    reported: /ack_deadline_seconds is 60, shared\/topology says 300/,
  },
  {
    name: 'a retry backoff written by hand',
    file: 'pubsub.tf',
    from: 'minimum_backoff = each.value.minimum_backoff',
    to: 'minimum_backoff = "1s"',
    check: 'push',
    reported: /minimum_backoff is 1s, shared\/topology says 10s/,
  },
  {
    name: 'topology.json edited by hand',
    file: 'topology.json',
    from: '"max_delivery_attempts": 10',
    to: '"max_delivery_attempts": 20',
    check: 'push',
    reported: /max_delivery_attempts is 20, shared\/topology says 10/,
  },
  {
    name: 'a function timeout written by hand',
    file: 'functions.tf',
    from: 'timeout_seconds                  = local.topology.functions[each.key].timeout_seconds',
    to: 'timeout_seconds                  = 30',
    check: 'topology',
    reported: /function\[github-webhook\]: timeout_seconds is 30, shared\/topology says 60/,
  },
  {
    name: 'ingress not following the topology',
    file: 'functions.tf',
    from: '= local.topology.functions[each.key].public ? "ALLOW_ALL"',
    to: '= true ? "ALLOW_ALL"',
    check: 'topology',
    reported: /function\[sync-worker\]: ingress does not follow shared\/topology's public/,
  },
  {
    name: 'topic grants not from the topology',
    file: 'iam.tf',
    from: 'for fn, spec in local.topology.functions : { for topic in spec.publishes',
    to: 'for fn, spec in local.functions : { for topic in spec.publishes',
    check: 'topology',
    reported: /local\.function_topic_grants is not computed from local\.topology\.functions/,
  },
  {
    name: 'a function the topology does not have',
    file: 'functions.tf',
    from: '"scheduler" = {',
    to: '"janitor" = {\n      account     = "janitor"\n      description = "x"\n      github      = false\n    }\n    "scheduler" = {',
    check: 'topology',
    reported: /function\[janitor\]: not a function of shared\/topology/,
  },
];

describe('terraform/ declares the topology of shared/topology', () => {
  let sources: Record<string, string>;
  let folders: string[];
  beforeAll(() => {
    sources = readTerraformSources(TERRAFORM_DIR);
    folders = functionFolders(FUNCTIONS_DIR);
  });

  test('terraform/topology.json is what shared/topology generates (npm run topology writes it)', () => {
    const committed = readFileSync(new URL('../../terraform/topology.json', import.meta.url), 'utf8');
    expect(committed, 'terraform/topology.json is stale: run `npm run topology`').toBe(
      terraformTopologyJson(),
    );
  });

  test.each(MUTATIONS)('reports: $name', async (m) => {
    const problems = await checkTerraform(mutate(sources, m), folders);
    expect(problems[m.check].join('\n')).toMatch(m.reported);
  });
});
