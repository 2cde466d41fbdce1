import { Firestore } from '@google-cloud/firestore';
import { PubSub, v1 } from '@google-cloud/pubsub';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { credentials } from '@grpc/grpc-js';
import type { Config } from '../../config/index.ts';
import { AppError } from '../../errors/index.ts';
import type { Logger } from '../../logging/index.ts';
import {
  type DeadLetterQueue,
  type EventPublisher,
  type SecretStore,
  type StateStore,
  TOPICS,
} from '../../ports/index.ts';

import { FirestoreStateStore } from './firestore-state-store.ts';
import { PubSubDeadLetters } from './pubsub-dead-letters.ts';
import { PubSubPublisher } from './pubsub-publisher.ts';
import { SecretManagerStore } from './secret-manager-store.ts';

export interface GcpBackends {
  state: StateStore;
  publisher: EventPublisher;
  deadLetters: DeadLetterQueue;
  secrets: SecretStore;
  close(): Promise<void>;
}

/**
 * Secret Manager has no emulator and its client reads no *_EMULATOR_HOST variable: a stand-in named by
 * SECRET_MANAGER_EMULATOR_HOST is reached without TLS and without credentials (insecure channel
 * credentials make google-gax skip Application Default Credentials), with the universe domain given
 * so the client does not ask the GCE metadata server for it.
 */
function secretManagerClient(config: Config): SecretManagerServiceClient {
  const host = config.SECRET_MANAGER_EMULATOR_HOST;
  if (!host) return new SecretManagerServiceClient();
  const colon = host.lastIndexOf(':');
  return new SecretManagerServiceClient({
    apiEndpoint: host.slice(0, colon),
    port: Number(host.slice(colon + 1)),
    sslCreds: credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  });
}

/**
 * Firestore, Pub/Sub and Secret Manager with Application Default Credentials (the runtime service
 * account on Cloud Run). The SDKs load with this module only, which the composition root imports lazily.
 * FIRESTORE_EMULATOR_HOST is honoured by the Firestore client and PUBSUB_EMULATOR_HOST by the PubSub
 * class, but not by the generated v1.SubscriberClient: the dead-letter reader is built from the
 * PubSub's own client configuration, which carries the emulator's address and insecure channel.
 */
export async function createGcpBackends(config: Config, logger: Logger): Promise<GcpBackends> {
  const projectId = config.GOOGLE_CLOUD_PROJECT;
  if (!projectId) {
    throw new AppError('config_invalid', 'GOOGLE_CLOUD_PROJECT is required when BRIDGE_BACKEND=gcp');
  }
  const state = new FirestoreStateStore({
    firestore: new Firestore({ projectId, databaseId: config.FIRESTORE_DATABASE }),
  });
  const pubsub = new PubSub({ projectId });
  const publisher = new PubSubPublisher({
    pubsub,
    topicPrefix: config.BRIDGE_TOPIC_PREFIX,
    logger: logger.child({ component: 'pubsub' }),
  });
  const secrets = new SecretManagerStore({ client: secretManagerClient(config), projectId });
  const deadLetters = new PubSubDeadLetters({
    subscriber: async () => {
      const { port, ...options } = await pubsub.getClientConfig();
      return new v1.SubscriberClient({ ...options, ...(port === undefined ? {} : { port: Number(port) }) });
    },
    projectId,
    topicPrefix: config.BRIDGE_TOPIC_PREFIX,
    topics: Object.values(TOPICS),
    publisher,
  });

  return {
    state,
    publisher,
    deadLetters,
    secrets,
    close: async () => {
      // The publisher first: its flush may still be sending what a handler published.
      const results = [
        await Promise.allSettled([publisher.close()]),
        await Promise.allSettled([state.close(), secrets.close(), deadLetters.close()]),
      ].flat();
      for (const r of results) {
        if (r.status === 'rejected') logger.warn('closing a Google Cloud client failed', { error: r.reason });
      }
    },
  };
}
