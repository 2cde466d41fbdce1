import { readFileSync } from 'node:fs';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, test } from 'vitest';
import { checkProviderRange, terraformRange } from './support/provider-range.ts';
import { providerSchema, SCHEMA_PROVIDERS } from './support/provider-schema.ts';

const VERSIONS_TF = new URL('../../terraform/versions.tf', import.meta.url);

interface Requirement {
  source?: string;
  version?: string;
}

async function requiredProviders(): Promise<Record<string, Requirement>> {
  const json = (await parse('versions.tf', readFileSync(VERSIONS_TF, 'utf8'))) as {
    terraform?: Array<{ required_providers?: Array<Record<string, Requirement>> }>;
  };
  return json.terraform?.[0]?.required_providers?.[0] ?? {};
}

describe('terraform/versions.tf admits exactly the provider versions whose schema is checked', () => {
  test.each(SCHEMA_PROVIDERS)('%s', async (provider) => {
    const schema = providerSchema(provider);
    const required = (await requiredProviders())[provider];
    expect(schema).toBeDefined();
    expect(required?.source).toBe(schema?.source);
    expect(checkProviderRange(required?.version ?? '', schema?.version ?? '')).toEqual([]);
  });

  test.each([
    ['~> 6.50', '>=6.50.0 <7.0.0'],
    ['~> 6.50.1', '>=6.50.1 <6.51.0'],
    ['>= 6.0, < 8.0', '>=6.0.0 <8.0.0'],
    ['6.50.0', '6.50.0'],
  ])('reads the constraint %j as %j', (constraint, range) => {
    expect(terraformRange(constraint)).toBe(range);
  });

  test.each([
    ['~> 6.50', []],
    ['>= 6.50, < 7.0', []],
    ['~> 6.50.0', []],
    [
      '>= 6.0, < 8.0',
      [
        '">= 6.0, < 8.0" admits 6.0.0, older than the checked 6.50',
        '">= 6.0, < 8.0" admits 7.x, whose schema was not checked',
      ],
    ],
    ['>= 6.50', ['">= 6.50" admits 7.x, whose schema was not checked']],
    ['~> 7.0', ['"~> 7.0" does not admit 6.50.0', '"~> 7.0" admits 7.x, whose schema was not checked']],
  ])('%j against a 6.50.0 schema: %j', (constraint, problems) => {
    expect(checkProviderRange(constraint, '6.50.0')).toEqual(problems);
  });

  test.each(['~> 6', '!= 6.1', 'latest'])(
    'refuses the constraint %j it cannot read exactly',
    (constraint) => {
      expect(() => terraformRange(constraint)).toThrow();
    },
  );
});
