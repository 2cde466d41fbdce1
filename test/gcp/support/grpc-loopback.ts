import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
/** google/api, google/iam, google/protobuf... ship with google-gax. */
const GAX_PROTOS = packageProtos('google-gax');

/** `<package>/build/protos` (resolved from the package's entry point: some packages do not export package.json). */
export function packageProtos(pkg: string): string {
  let dir = path.dirname(require.resolve(pkg));
  while (path.basename(dir) !== 'build') dir = path.dirname(dir);
  return path.join(dir, 'protos');
}

export interface LoopbackServer {
  port: number;
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * A gRPC server on 127.0.0.1 and a free port, built from the .proto files a Google client ships, so the
 * real client talks to it over the real wire format. `impl` implements the RPCs a test needs.
 */
export async function startLoopbackGrpc(
  protoRoot: string,
  protoFile: string,
  service: string,
  impl: grpc.UntypedServiceImplementation,
): Promise<LoopbackServer> {
  const definition = await protoLoader.load(path.join(protoRoot, protoFile), {
    includeDirs: [protoRoot, GAX_PROTOS],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition);
  const ctor = service
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], loaded) as {
    service: grpc.ServiceDefinition;
  };
  const server = new grpc.Server();
  server.addService(ctor.service, impl);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    stop: async () => {
      server.forceShutdown();
    },
  };
}

/** A gRPC error with a status code, as a server handler reports it. */
export function grpcError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

export { grpc };
