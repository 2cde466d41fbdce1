import { FUNCTION_NAMES, FUNCTION_SPECS, type FunctionName } from '../../../shared/topology/index.ts';
import {
  type FakeSecretManager,
  type FakeVersion,
  startFakeSecretManager,
} from '../../gcp/support/secret-manager-loopback.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../../support/loopback-drive/index.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../../support/loopback-github/index.ts';
import { designOf, repoFiles, services } from '../../sync/support.ts';

/**
 * Secret Manager as each function sees it: one store of secrets behind one loopback server per
 * function, each refusing (PERMISSION_DENIED) the secrets shared/topology does not list for that
 * function — the grants Terraform gives its service account.
 */
interface SecretManagerStandIn {
  secrets: Map<string, FakeVersion[]>;
  endpointOf(fn: FunctionName): string;
  /** Adds a version, as an operator or a rotation would; returns its number. */
  add(name: string, value: string): string;
  /** The newest version's value. */
  latest(name: string): string | undefined;
  stop(): Promise<void>;
}

async function startSecretManager(): Promise<SecretManagerStandIn> {
  const secrets = new Map<string, FakeVersion[]>();
  const known = new Set(FUNCTION_NAMES.flatMap((fn) => FUNCTION_SPECS[fn].secrets));
  const servers = {} as Record<FunctionName, FakeSecretManager>;
  for (const fn of FUNCTION_NAMES) {
    const granted = new Set<string>(FUNCTION_SPECS[fn].secrets);
    servers[fn] = await startFakeSecretManager({
      secrets,
      denied: new Set([...known].filter((s) => !granted.has(s))),
    });
  }
  return {
    secrets,
    endpointOf: (fn) => servers[fn].endpoint,
    add(name, value) {
      const versions = secrets.get(name) ?? [];
      secrets.set(name, versions);
      versions.push({
        id: versions.length + 1,
        data: Buffer.from(value),
        state: 'ENABLED',
        created: Date.now(),
      });
      return String(versions.length);
    },
    latest: (name) => secrets.get(name)?.at(-1)?.data.toString('utf8'),
    stop: async () => {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
    },
  };
}

export interface StandIns {
  github: LoopbackGithub;
  drive: LoopbackDrive;
  secretManager: SecretManagerStandIn;
  close(): Promise<void>;
}

export interface StandInOptions {
  githubToken: string;
  googleToken: string;
  /** Repositories (`owner/name`) seeded with the spec's example architecture. */
  repos: readonly string[];
  /** Drive files (by id) seeded with the same architecture as a design export. */
  designs: readonly string[];
  /** Secret Manager secrets and their first version. */
  secrets: Record<string, string>;
  /** Whether Drive notifies channels of every edit by itself (else a test sends each notification). */
  driveNotifies: boolean;
}

/**
 * What the functions reach outside Google's emulators: GitHub and Drive (not reachable from here)
 * as loopback servers speaking their real wire formats, and Secret Manager (no emulator exists) as
 * a loopback gRPC server built from the client's own protos.
 */
export async function startStandIns(options: StandInOptions): Promise<StandIns> {
  const [github, drive, secretManager] = await Promise.all([
    startLoopbackGithub({
      repos: Object.fromEntries(options.repos.map((r) => [r, { files: repoFiles(services()) }])),
      auth: { tokens: [options.githubToken] },
    }),
    startLoopbackDrive({
      files: Object.fromEntries(
        options.designs.map((id) => [
          id,
          { name: 'architecture.json', content: JSON.stringify(designOf(services()), null, 2) },
        ]),
      ),
      accessToken: options.googleToken,
      autoNotify: options.driveNotifies,
    }),
    startSecretManager(),
  ]);
  for (const [name, value] of Object.entries(options.secrets)) secretManager.add(name, value);
  return {
    github,
    drive,
    secretManager,
    close: async () => {
      await Promise.allSettled([github.close(), drive.close(), secretManager.stop()]);
    },
  };
}
