import { PubSub } from '@google-cloud/pubsub';
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { type LoopbackServer, packageProtos, startLoopbackGrpc } from './grpc-loopback.ts';

/*
 * Kept beside Google's Pub/Sub emulator (see pubsub-google-emulator.test.ts) for what the emulator
 * cannot do: fail a Publish on purpose (UNAVAILABLE, PERMISSION_DENIED, INVALID_ARGUMENT), count the
 * Publish calls a batch makes, and run in-process on machines without gcloud and Java (the wiring
 * test in create-gcp-backends.test.ts).
 */
export interface PublishedMessage {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey: string;
}
export interface PublishRequest {
  topic: string;
  messages: PublishedMessage[];
}

/** What the server answers to the next Publish: ids, or an error. Empty script = success. */
export type PublishReply = { error: Error } | { ok: true };

export interface FakePublisher extends LoopbackServer {
  requests: PublishRequest[];
  script: PublishReply[];
  /** A real PubSub client pointed at this server, as PUBSUB_EMULATOR_HOST would point it. */
  client(): PubSub;
}

/** google.pubsub.v1.Publisher.Publish on a loopback server, built from the protos the client ships. */
export async function startFakePublisher(): Promise<FakePublisher> {
  const requests: PublishRequest[] = [];
  const script: PublishReply[] = [];
  let nextId = 1;
  const server = await startLoopbackGrpc(
    packageProtos('@google-cloud/pubsub'),
    'google/pubsub/v1/pubsub.proto',
    'google.pubsub.v1.Publisher',
    {
      Publish: (call: ServerUnaryCall<PublishRequest, unknown>, callback: sendUnaryData<unknown>) => {
        requests.push(call.request);
        const reply = script.shift();
        if (reply && 'error' in reply) {
          callback(reply.error);
          return;
        }
        callback(null, { messageIds: call.request.messages.map(() => String(nextId++)) });
      },
    },
  );
  return {
    ...server,
    requests,
    script,
    client: () =>
      new PubSub({
        projectId: 'demo-bridge',
        apiEndpoint: server.endpoint,
        emulatorMode: true,
        // Without a universe domain the client asks the GCE metadata server for one (network).
        universeDomain: 'googleapis.com',
      }),
  };
}
