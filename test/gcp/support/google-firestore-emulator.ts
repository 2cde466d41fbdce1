import { Firestore } from '@google-cloud/firestore';
import { type Emulator, startEmulator } from '../../support/emulators/gcloud-emulators.ts';

export interface GoogleFirestoreEmulator {
  /** host:port, as FIRESTORE_EMULATOR_HOST takes it. */
  host: string;
  project: string;
  /** How long the emulator took to start, for the test's report. */
  startupMs: number;
  /** A client pointed at the emulator, as FIRESTORE_EMULATOR_HOST would configure it. */
  client(): Firestore;
  /** Deletes every document of the project (the emulator's own REST endpoint). */
  clear(): Promise<void>;
  /** Terminates the clients it handed out, then ends the emulator's process group. */
  stop(): Promise<void>;
}

/**
 * Google's Firestore emulator (gcloud, Java) on 127.0.0.1 and a free port; see emulatorsMissing().
 * Seen here (gcloud 528): it locks what a transaction reads, as Firestore in PESSIMISTIC mode does, so
 * a write to such a document waits for the commit; a transaction that itself waits for that write is
 * ended after about 66 s ("Transaction is invalid or closed"), then the write lands. It refuses a
 * field over 1,048,487 bytes as Firestore does. It does not enforce composite indexes (see
 * firestore-indexes.test.ts). Startup takes 2–4 s once gcloud's files are cached.
 */
export async function startGoogleFirestoreEmulator(
  project = 'demo-bridge',
): Promise<GoogleFirestoreEmulator> {
  const started = Date.now();
  const emulator: Emulator = await startEmulator('firestore', project);
  const startupMs = Date.now() - started;
  const [hostname, port] = emulator.host.split(':');
  const clients: Firestore[] = [];
  return {
    host: emulator.host,
    project,
    startupMs,
    client: () => {
      const db = new Firestore({
        projectId: project,
        host: hostname,
        port: Number(port),
        ssl: false,
        // What the client sends under FIRESTORE_EMULATOR_HOST: the emulator skips security rules.
        customHeaders: { Authorization: 'Bearer owner' },
        // Without a universe domain the client asks the GCE metadata server for one (network).
        universeDomain: 'googleapis.com',
      } as ConstructorParameters<typeof Firestore>[0]);
      clients.push(db);
      return db;
    },
    clear: async () => {
      const url = `http://${emulator.host}/emulator/v1/projects/${project}/databases/(default)/documents`;
      const response = await fetch(url, { method: 'DELETE' });
      if (!response.ok) throw new Error(`clearing the Firestore emulator answered ${response.status}`);
    },
    stop: async () => {
      await Promise.allSettled(clients.splice(0).map((c) => c.terminate()));
      await emulator.stop();
    },
  };
}
