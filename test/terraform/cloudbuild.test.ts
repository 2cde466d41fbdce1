import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Step {
  id: string;
  name: string;
  entrypoint?: string;
  args?: string[];
  dir?: string;
  waitFor?: string[];
}
interface Build {
  substitutions: Record<string, string>;
  steps: Step[];
}

/** Problems with a Cloud Build config: missing stages, unknown substitutions, waits on unknown steps. */
function checkCloudBuild(text: string): string[] {
  const build = parse(text) as Build;
  const problems: string[] = [];
  const byId = new Map(build.steps.map((s) => [s.id, s]));
  const command = (id: string) => {
    const step = byId.get(id);
    return step ? [step.name, step.entrypoint ?? '', ...(step.args ?? [])].join(' ') : '';
  };
  const expected: Array<[string, RegExp]> = [
    ['install', /^\$\{_NODE_IMAGE\} npm ci/],
    ['test', /npm test$/],
    ['build', /npm run build$/],
    ['terraform-fmt', /fmt -check/],
    ['terraform-validate', /terraform init -backend=false.*&& terraform validate/],
    ['package', /terraform\/scripts\/package-source\.sh/],
    ['deploy', /terraform apply/],
  ];
  for (const [id, pattern] of expected) {
    if (!pattern.test(command(id))) problems.push(`step ${id} does not run ${pattern}`);
  }
  if (build.substitutions._NODE_IMAGE !== 'node:24') problems.push('_NODE_IMAGE is not node:24');
  if (!/^hashicorp\/terraform:/.test(build.substitutions._TERRAFORM_IMAGE ?? '')) {
    problems.push('_TERRAFORM_IMAGE is not hashicorp/terraform');
  }
  for (const used of text.matchAll(/\$\{(_[A-Z_]+)\}/g)) {
    const name = used[1] ?? '';
    if (!(name in build.substitutions)) problems.push(`substitution ${name} is not declared`);
  }
  for (const step of build.steps) {
    for (const wait of step.waitFor ?? []) {
      if (wait !== '-' && !byId.has(wait)) problems.push(`step ${step.id} waits for unknown step ${wait}`);
    }
  }
  const deployWaits = new Set(byId.get('deploy')?.waitFor ?? []);
  if (!deployWaits.has('package') || !deployWaits.has('terraform-validate')) {
    problems.push('deploy does not wait for package and terraform-validate');
  }
  return problems;
}

describe('cloudbuild.yaml', () => {
  const text = readFileSync(`${ROOT}cloudbuild.yaml`, 'utf8');

  test('installs, tests, builds, validates Terraform, packages and applies', () => {
    expect(checkCloudBuild(text)).toEqual([]);
    expect(existsSync(`${ROOT}terraform/scripts/package-source.sh`)).toBe(true);
  });

  test.each([
    ['a missing stage', 'args: [test]', 'args: [run, lint]', /step test does not run/],
    [
      'an undeclared substitution',
      `"bucket=\${_TF_STATE_BUCKET}"`,
      `"bucket=\${_STATE}"`,
      /_STATE is not declared/,
    ],
    ['a wait on an unknown step', 'waitFor: [test, build]', 'waitFor: [tests, build]', /unknown step tests/],
    [
      'deploy before validation',
      'waitFor: [package, terraform-validate]',
      'waitFor: [package]',
      /deploy does not wait/,
    ],
  ])('reports %s', (_name, from, to, reported) => {
    expect(text).toContain(from);
    expect(checkCloudBuild(text.replace(from, to)).join('\n')).toMatch(reported);
  });
});
