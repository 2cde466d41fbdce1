import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import * as grpc from '@grpc/grpc-js';
import { grpcError, type LoopbackServer, packageProtos, startLoopbackGrpc } from './grpc-loopback.ts';

export interface FakeVersion {
  id: number;
  data: Buffer;
  state: 'ENABLED' | 'DISABLED' | 'DESTROYED';
  created: number;
}

export interface FakeSecretManager extends LoopbackServer {
  /** Secret name → versions, oldest first. */
  secrets: Map<string, FakeVersion[]>;
  /** Every RPC by method name, in order. */
  calls: string[];
  /** Secrets this caller's account may not read or list (IAM denies it: PERMISSION_DENIED). */
  denied: Set<string>;
  client(): SecretManagerServiceClient;
}

type Unary = (
  call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>,
  cb: grpc.sendUnaryData<unknown>,
) => void;

/**
 * Secret Manager's SecretManagerService (the RPCs the store uses) in memory, served from the protos the
 * client ships. Like the service: `versions/latest` is the most recently created version whatever its
 * state, and reading a disabled version fails with FAILED_PRECONDITION. Servers given one `secrets`
 * map and each its own `denied` set are one Secret Manager as seen by callers with different grants.
 */
export async function startFakeSecretManager(
  shared: Partial<Pick<FakeSecretManager, 'secrets' | 'denied'>> = {},
): Promise<FakeSecretManager> {
  const secrets = shared.secrets ?? new Map<string, FakeVersion[]>();
  const calls: string[] = [];
  const denied = shared.denied ?? new Set<string>();
  const parse = (resource: string) => {
    const m = /^projects\/([^/]+)\/secrets\/([^/]+)(?:\/versions\/([^/]+))?$/.exec(resource);
    if (!m) throw grpcError(grpc.status.INVALID_ARGUMENT, `bad resource name ${resource}`);
    return { project: m[1], secret: m[2] ?? '', version: m[3] };
  };
  const versionsOf = (secret: string) => {
    // IAM is checked before existence: a denied caller cannot even learn whether the secret exists.
    if (denied.has(secret))
      throw grpcError(
        grpc.status.PERMISSION_DENIED,
        `Permission 'secretmanager.versions.access' denied for resource '${secret}' (or it may not exist).`,
      );
    const versions = secrets.get(secret);
    if (!versions) throw grpcError(grpc.status.NOT_FOUND, `Secret [${secret}] not found`);
    return versions;
  };
  const find = (resource: string) => {
    const { project, secret, version } = parse(resource);
    const versions = versionsOf(secret);
    const found = version === 'latest' ? versions.at(-1) : versions.find((v) => String(v.id) === version);
    if (!found) throw grpcError(grpc.status.NOT_FOUND, `Secret Version [${resource}] not found`);
    return { project, secret, found };
  };
  const toProto = (project: string | undefined, secret: string, v: FakeVersion) => ({
    name: `projects/${project}/secrets/${secret}/versions/${v.id}`,
    createTime: { seconds: String(Math.floor(v.created / 1000)), nanos: (v.created % 1000) * 1e6 },
    state: v.state,
  });
  const rpc =
    (method: string, body: (req: Record<string, unknown>) => unknown): Unary =>
    (call, cb) => {
      calls.push(method);
      try {
        cb(null, body(call.request));
      } catch (err) {
        cb(err as grpc.ServiceError);
      }
    };

  const server = await startLoopbackGrpc(
    packageProtos('@google-cloud/secret-manager'),
    'google/cloud/secretmanager/v1/service.proto',
    'google.cloud.secretmanager.v1.SecretManagerService',
    {
      CreateSecret: rpc('CreateSecret', (req) => {
        const id = String(req.secretId);
        if (secrets.has(id)) throw grpcError(grpc.status.ALREADY_EXISTS, `Secret [${id}] already exists`);
        secrets.set(id, []);
        return { name: `${req.parent}/secrets/${id}` };
      }),
      AddSecretVersion: rpc('AddSecretVersion', (req) => {
        const { project, secret } = parse(String(req.parent));
        const versions = versionsOf(secret);
        const version: FakeVersion = {
          id: versions.length + 1,
          data: Buffer.from((req.payload as { data: Buffer }).data),
          state: 'ENABLED',
          created: Date.now(),
        };
        versions.push(version);
        return toProto(project, secret, version);
      }),
      AccessSecretVersion: rpc('AccessSecretVersion', (req) => {
        const { project, secret, found } = find(String(req.name));
        if (found.state !== 'ENABLED') {
          throw grpcError(grpc.status.FAILED_PRECONDITION, `Secret Version is in ${found.state} state`);
        }
        return { name: toProto(project, secret, found).name, payload: { data: found.data } };
      }),
      ListSecretVersions: rpc('ListSecretVersions', (req) => {
        const { project, secret } = parse(String(req.parent));
        const versions = versionsOf(secret)
          .map((v) => toProto(project, secret, v))
          .reverse();
        return { versions, nextPageToken: '', totalSize: versions.length };
      }),
      DisableSecretVersion: rpc('DisableSecretVersion', (req) => {
        const { project, secret, found } = find(String(req.name));
        found.state = 'DISABLED';
        return toProto(project, secret, found);
      }),
    },
  );
  return {
    ...server,
    secrets,
    calls,
    denied,
    client: () =>
      new SecretManagerServiceClient({
        apiEndpoint: '127.0.0.1',
        port: server.port,
        sslCreds: grpc.credentials.createInsecure(),
        // Without a universe domain the client asks the GCE metadata server for one (network).
        universeDomain: 'googleapis.com',
      }),
  };
}
