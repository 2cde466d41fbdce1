import type { ServiceDefinition } from '../../shared/domain/index.ts';
import { designOf, repoFiles, services } from '../../test/sync/support.ts';

export const GITHUB_TOKEN = 'ghp_benchloopbacktoken000000000000000000';
export const GOOGLE_TOKEN = 'ya29.bench-loopback-token';
export const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';
export const FILE_ID = 'bench-design-file';
export const REPO = 'acme/platform';

/** The bridge's environment for the loopback GitHub and Drive servers at these addresses. */
export function loopbackEnv(githubUrl: string, driveUrl: string): Record<string, string> {
  return {
    GITHUB_TOKEN,
    GITHUB_API_URL: githubUrl,
    GOOGLE_ACCESS_TOKEN: GOOGLE_TOKEN,
    DRIVE_API_ROOT_URL: driveUrl,
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
  };
}

/** The example architecture plus `extra` generated services (`svc-0`…), the ones a bench run edits. */
export function benchServices(extra: number): ServiceDefinition[] {
  const template = services()[0]!;
  const generated = Array.from({ length: extra }, (_, i) => ({
    ...template,
    id: `svc-${i}`,
    name: `Service ${i}`,
    path: `services/svc-${i}`,
  }));
  return [...services(), ...generated];
}

export function benchRepoFiles(extra: number): Record<string, string> {
  return repoFiles(benchServices(extra));
}

export function benchDesignText(extra: number): string {
  return JSON.stringify(designOf(benchServices(extra)), null, 2);
}

/** A definition file with its top-level `version:` replaced. */
export function withVersion(definitionText: string, version: string): string {
  return definitionText.replace(/^version: .*$/m, `version: ${version}`);
}
