import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { AppError } from '../../errors/index.ts';
import type { SecretStore, SecretValue, SecretVersion } from '../../ports/index.ts';
import { GRPC, grpcCode, toServiceError } from './grpc-errors.ts';
import { TtlCache } from './ttl-cache.ts';

export interface SecretManagerStoreOptions {
  client: SecretManagerServiceClient;
  projectId: string;
  /**
   * How long accessLatest/accessEnabled answers are reused. Secrets are read at use time, so a new
   * version (a rotation) is seen within this long without a redeploy. Default 30 s.
   */
  cacheTtlMs?: number;
  now?: () => number;
  /** Whether close() closes the client (default true). */
  ownsClient?: boolean;
}

const STATES: Record<string, SecretVersion['state']> = {
  ENABLED: 'enabled',
  DISABLED: 'disabled',
  DESTROYED: 'destroyed',
};

type ProtoTimestamp = { seconds?: number | string | { toString(): string } | null; nanos?: number | null };

/** The secret store port on Secret Manager: `projects/P/secrets/NAME/versions/N`. */
export class SecretManagerStore implements SecretStore {
  private readonly client: SecretManagerServiceClient;
  private readonly project: string;
  private readonly ownsClient: boolean;
  private readonly latest: TtlCache<SecretValue | undefined>;
  private readonly enabled: TtlCache<SecretValue[]>;

  constructor(options: SecretManagerStoreOptions) {
    this.client = options.client;
    this.project = options.projectId;
    this.ownsClient = options.ownsClient ?? true;
    const ttl = options.cacheTtlMs ?? 30_000;
    this.latest = new TtlCache(ttl, options.now);
    this.enabled = new TtlCache(ttl, options.now);
  }

  accessLatest(name: string): Promise<SecretValue | undefined> {
    return this.latest.get(name, async () => {
      // `latest` is the most recently created version; when that one is disabled or destroyed Secret
      // Manager refuses it (FAILED_PRECONDITION) rather than falling back, so look for the newest enabled.
      const value = await this.access(name, 'latest');
      if (value) return value;
      return (await this.loadEnabled(name, 1))[0];
    });
  }

  async access(name: string, version: string): Promise<SecretValue | undefined> {
    try {
      const [response] = await this.client.accessSecretVersion({ name: this.versionName(name, version) });
      const data = response.payload?.data;
      if (data === undefined || data === null) return undefined;
      return { version: lastSegment(response.name ?? version), value: Buffer.from(data).toString('utf8') };
    } catch (err) {
      // Missing secret or version, or a disabled/destroyed version: nothing to read.
      const code = grpcCode(err);
      if (code === GRPC.NOT_FOUND || code === GRPC.FAILED_PRECONDITION) return undefined;
      if (code === GRPC.PERMISSION_DENIED) throw denied(name, err);
      throw toServiceError(err, `Reading secret ${name}`);
    }
  }

  async addVersion(name: string, value: string): Promise<string> {
    const payload = { data: Buffer.from(value, 'utf8') };
    try {
      try {
        return await this.add(name, payload);
      } catch (err) {
        if (grpcCode(err) !== GRPC.NOT_FOUND) throw err;
        await this.createSecret(name);
        return await this.add(name, payload);
      }
    } catch (err) {
      throw toServiceError(err, `Adding a version to secret ${name}`);
    } finally {
      this.forget(name);
    }
  }

  async listVersions(name: string): Promise<SecretVersion[]> {
    try {
      const [versions] = await this.client.listSecretVersions({ parent: this.secretName(name) });
      return versions
        .map((v) => ({
          version: lastSegment(v.name ?? ''),
          state: STATES[String(v.state)] ?? 'destroyed',
          createTime: isoTime(v.createTime),
        }))
        .sort((a, b) => Number(b.version) - Number(a.version));
    } catch (err) {
      if (grpcCode(err) === GRPC.NOT_FOUND) return [];
      if (grpcCode(err) === GRPC.PERMISSION_DENIED) throw denied(name, err);
      throw toServiceError(err, `Listing versions of secret ${name}`);
    }
  }

  async disableVersion(name: string, version: string): Promise<void> {
    try {
      await this.client.disableSecretVersion({ name: this.versionName(name, version) });
    } catch (err) {
      if (grpcCode(err) === GRPC.NOT_FOUND) {
        throw new AppError('not_found', `Secret ${name} has no version ${version}`, { cause: err });
      }
      throw toServiceError(err, `Disabling version ${version} of secret ${name}`);
    } finally {
      this.forget(name);
    }
  }

  accessEnabled(name: string, options: { fresh?: boolean } = {}): Promise<SecretValue[]> {
    // A fresh read replaces the cached answer, so the other callers see the new versions too.
    if (options.fresh) this.enabled.invalidate(name);
    return this.enabled.get(name, () => this.loadEnabled(name));
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }

  /** Values of the newest `limit` enabled versions, newest first. */
  private async loadEnabled(name: string, limit = Number.POSITIVE_INFINITY): Promise<SecretValue[]> {
    const enabled = (await this.listVersions(name)).filter((v) => v.state === 'enabled').slice(0, limit);
    const values = await Promise.all(enabled.map((v) => this.access(name, v.version)));
    return values.filter((v): v is SecretValue => v !== undefined);
  }

  private async add(name: string, payload: { data: Buffer }): Promise<string> {
    const [version] = await this.client.addSecretVersion({ parent: this.secretName(name), payload });
    return lastSegment(version.name ?? '');
  }

  private async createSecret(name: string): Promise<void> {
    try {
      await this.client.createSecret({
        parent: `projects/${this.project}`,
        secretId: name,
        secret: { replication: { automatic: {} } },
      });
    } catch (err) {
      // Another instance created it first: fine.
      if (grpcCode(err) !== GRPC.ALREADY_EXISTS) throw err;
    }
  }

  private forget(name: string): void {
    this.latest.invalidate(name);
    this.enabled.invalidate(name);
  }

  private secretName(name: string): string {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw new AppError('bad_request', 'Secret names are letters, digits, _ or - (at most 255)');
    }
    return `projects/${this.project}/secrets/${name}`;
  }

  private versionName(name: string, version: string): string {
    if (!/^(\d+|latest)$/.test(version))
      throw new AppError('bad_request', 'A secret version is a number or "latest"');
    return `${this.secretName(name)}/versions/${version}`;
  }
}

/**
 * A secret this function's account may not read is a deployment mistake, not an absent secret:
 * Secret Manager answers PERMISSION_DENIED (whether or not the secret exists) where a readable
 * missing one is NOT_FOUND. Terraform grants each function the secrets shared/topology lists.
 */
function denied(name: string, cause: unknown): AppError {
  return new AppError(
    'config_invalid',
    `This function's service account may not read secret ${name} (Secret Manager: permission denied); grant it roles/secretmanager.secretAccessor and roles/secretmanager.viewer on that secret`,
    { cause },
  );
}

function lastSegment(resource: string): string {
  return resource.slice(resource.lastIndexOf('/') + 1);
}

function isoTime(ts: ProtoTimestamp | null | undefined): string {
  const seconds = Number(String(ts?.seconds ?? 0));
  return new Date(seconds * 1000 + Math.floor((ts?.nanos ?? 0) / 1e6)).toISOString();
}
