import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, test } from 'vitest';
import { checkProviderSchema } from './support/check-schema.ts';
import { readGeneratedSchema } from './support/generated-schema.ts';
import { type HclItem, hclStructure } from './support/hcl-structure.ts';
import { providerSchema } from './support/provider-schema.ts';
import { parseTerraform, readTerraformSources } from './support/terraform-model.ts';

const TERRAFORM_DIR = fileURLToPath(new URL('../../terraform/', import.meta.url));
const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/schema/', import.meta.url));

function readTf(dir: string): Record<string, string> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf'));
  return Object.fromEntries(files.sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

function check(sources: Record<string, string>) {
  const files = Object.fromEntries(Object.entries(sources).map(([f, text]) => [f, hclStructure(text, f)]));
  return checkProviderSchema(files, providerSchema);
}

const fixture = (file: string) => check({ [file]: readTf(FIXTURES_DIR)[file] ?? '' });

describe('terraform/ against the google provider schema (@cdktf/provider-google)', () => {
  test('every google resource and data source matches the schema of the provider it uses', async () => {
    const sources = readTf(TERRAFORM_DIR);
    const { problems, checked } = check(sources);
    expect(problems).toEqual([]);
    // hcl2json finds the same google resources and data sources, so none went unchecked.
    const model = await parseTerraform(readTerraformSources(TERRAFORM_DIR));
    const expected = [
      ...Object.entries(model.resources).flatMap(([type, named]) =>
        Object.keys(named).map((n) => `${type}.${n}`),
      ),
      ...Object.entries(model.data).flatMap(([type, named]) =>
        Object.keys(named).map((n) => `data.${type}.${n}`),
      ),
    ].filter((address) => address.replace(/^data\./, '').startsWith('google_'));
    expect(checked.sort()).toEqual(expected.sort());
    expect(checked.length).toBeGreaterThan(20);
  });

  test.each([
    {
      file: 'unknown-argument.tf',
      problems: [
        'unknown-argument.tf:4 google_pubsub_topic.misspelt: unknown argument retention in hashicorp/google 6.50.0',
        'unknown-argument.tf:16 google_pubsub_subscription.nested: unknown argument push_config.oidc_token.audiences in hashicorp/google 6.50.0',
        'unknown-argument.tf:24 google_pubsub_topic.computed_only: unknown argument effective_labels in hashicorp/google 6.50.0',
        'unknown-argument.tf:35 google_secret_manager_secret.ignores_unknown: lifecycle.ignore_changes names rotation[0].next_rotation, not an argument in hashicorp/google 6.50.0',
      ],
    },
    {
      file: 'block-as-argument.tf',
      problems: [
        'block-as-argument.tf:6 google_firestore_field.ttl: ttl_config is a block in hashicorp/google 6.50.0: write ttl_config { ... }, not ttl_config = ...',
        'block-as-argument.tf:12 google_pubsub_subscription.policies: expiration_policy is a block in hashicorp/google 6.50.0: write expiration_policy { ... }, not expiration_policy = ...',
        'block-as-argument.tf:13 google_pubsub_subscription.policies: retry_policy is a block in hashicorp/google 6.50.0: write retry_policy { ... }, not retry_policy = ...',
      ],
    },
    {
      file: 'argument-as-block.tf',
      problems: [
        'argument-as-block.tf:5 google_pubsub_topic.labelled: labels is an argument in hashicorp/google 6.50.0: write labels = ..., not a block',
        'argument-as-block.tf:17 google_cloud_scheduler_job.job: pubsub_target.attributes is an argument in hashicorp/google 6.50.0: write attributes = ..., not a block',
      ],
    },
    {
      file: 'missing-required.tf',
      problems: [
        'missing-required.tf:5 google_pubsub_subscription.no_topic: missing required argument push_config.push_endpoint in hashicorp/google 6.50.0',
        'missing-required.tf:2 google_pubsub_subscription.no_topic: missing required argument topic in hashicorp/google 6.50.0',
        'missing-required.tf:12 google_secret_manager_secret.no_replication: missing required block replication in hashicorp/google 6.50.0',
        'missing-required.tf:23 google_cloudfunctions2_function.secret_without_version: missing required argument service_config.secret_environment_variables.version in hashicorp/google 6.50.0',
        'missing-required.tf:32 data.google_service_account.nameless: missing required argument account_id in hashicorp/google 6.50.0',
      ],
    },
    {
      file: 'provider-mismatch.tf',
      problems: [
        'provider-mismatch.tf:2 google_project_service_identity.pubsub: hashicorp/google 6.50.0 has no resource google_project_service_identity',
        'provider-mismatch.tf:15 google_pubsub_subscription.two_push_configs: push_config may appear only once in hashicorp/google 6.50.0',
      ],
    },
  ])('fixture $file fails, naming the file, line and resource', ({ file, problems }) => {
    expect(fixture(file).problems).toEqual(problems);
  });

  test('reads a resource as the generated code declares it', () => {
    const subscription = providerSchema('google')?.lookup('resource', 'google_pubsub_subscription');
    expect(subscription?.arguments.get('topic')).toEqual({ required: true });
    expect(subscription?.arguments.get('ack_deadline_seconds')).toEqual({ required: false });
    expect(subscription?.arguments.has('effective_labels')).toBe(false);
    const push = subscription?.blocks.get('push_config');
    expect({ required: push?.required, many: push?.many }).toEqual({ required: false, many: false });
    expect(push?.schema.blocks.get('oidc_token')?.schema.arguments.get('service_account_email')).toEqual({
      required: true,
    });
    expect(subscription?.blocks.get('message_transforms')?.many).toBe(true);
    expect(providerSchema('google')?.lookup('data', 'google_project')?.arguments.has('project_id')).toBe(
      true,
    );
    expect(providerSchema('google')?.lookup('resource', 'google_no_such_thing')).toBeUndefined();
    expect(providerSchema('aws')).toBeUndefined();
  });

  test('generated code of a shape it does not know is refused, not read as an empty schema', () => {
    expect(() => readGeneratedSchema('', '')).toThrow(/no resource class/);
    const js =
      'class X { synthesizeHclAttributes() { const attrs = { a_b: { value: this._aB, isBlock: false } }; } }';
    expect(() => readGeneratedSchema(js, 'export interface XConfig {}')).toThrow(
      /XConfig has no property aB/,
    );
  });

  test('valid syntax of every kind passes (comments, templates, heredocs, dynamic, beta, other providers)', () => {
    const { problems, checked } = fixture('valid.tf');
    expect(problems).toEqual([]);
    expect(checked).toEqual([
      'google_pubsub_topic.tricky',
      'google_storage_bucket_object.heredoc',
      'google_firestore_index.dynamic_iterator',
      'google_project_service_identity.beta',
      'data.google_project.this',
    ]);
  });
});

/** The structure as hcl2json lays it out: blocks under their labels as lists of bodies. */
function shapeOf(items: HclItem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    if (item.kind === 'argument') {
      out[item.name] = 'argument';
      continue;
    }
    let at = out;
    let key = item.type;
    for (const label of item.labels) {
      at[key] ??= {};
      at = at[key] as Record<string, unknown>;
      key = label;
    }
    at[key] ??= [];
    (at[key] as unknown[]).push(shapeOf(item.body));
  }
  return out;
}

/** Where hcl2json's JSON disagrees with the structure (argument values are not compared). */
function differences(mine: unknown, theirs: unknown, path: string): string[] {
  if (mine === 'argument') return theirs === undefined ? [`${path}: not in hcl2json`] : [];
  if (Array.isArray(mine)) {
    if (!Array.isArray(theirs) || theirs.length !== mine.length) return [`${path}: hcl2json differs`];
    return mine.flatMap((body, i) => differences(body, theirs[i], `${path}[${i}]`));
  }
  const ours = mine as Record<string, unknown>;
  const json = (theirs ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ours), ...Object.keys(json)])];
  return keys.flatMap((k) =>
    k in ours ? differences(ours[k], json[k], `${path}.${k}`) : [`${path}.${k}: only in hcl2json`],
  );
}

describe('the structure reader', () => {
  const all = { ...readTf(TERRAFORM_DIR), ...readTf(FIXTURES_DIR) };
  test.each(Object.keys(all))('agrees with hcl2json on %s', async (file) => {
    const text = all[file] ?? '';
    expect(differences(shapeOf(hclStructure(text, file)), await parse(file, text), file)).toEqual([]);
  });

  test.each([
    ['a = "unterminated\n', /input:1: newline in a quoted string/],
    ['resource "x" "y" {\n  a = 1\n', /missing }/],
    ['a = (1]\n', /unbalanced ]/],
    ['x = <<EOT\nnever ends\n', /heredoc EOT not terminated/],
  ])('rejects broken HCL %j', (text, message) => {
    expect(() => hclStructure(text)).toThrow(message);
  });
});
