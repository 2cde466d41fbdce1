import type { Firestore } from '@google-cloud/firestore';
import { emulatorsMissing } from '../../support/emulators/gcloud-emulators.ts';
import { startFirestoreEmulator } from './firestore-emulator.ts';
import { startGoogleFirestoreEmulator } from './google-firestore-emulator.ts';

export interface TestFirestore {
  /** Which server answers: Google's emulator, or the npm one where gcloud's is missing. */
  backend: 'google' | 'npm';
  /** host:port, as FIRESTORE_EMULATOR_HOST takes it. */
  host: string;
  /** A client pointed at the server, as FIRESTORE_EMULATOR_HOST would configure it. */
  client(): Firestore;
  stop(): Promise<void>;
}

/**
 * A Firestore for adapter tests: Google's emulator when gcloud has it (see emulatorsMissing), else
 * @firestore-emulator/server in-process, which lacks parts of Firestore (see firestore-emulator.ts)
 * but needs no Java. Tests that need what only Google's emulator does start that one themselves.
 */
export async function startTestFirestore(project = 'demo-bridge'): Promise<TestFirestore> {
  const missing = await emulatorsMissing(['cloud-firestore-emulator']);
  if (!missing) {
    const google = await startGoogleFirestoreEmulator(project);
    return { backend: 'google', host: google.host, client: google.client, stop: google.stop };
  }
  console.warn(`Google's Firestore emulator is missing (${missing}): using @firestore-emulator/server`);
  const npm = await startFirestoreEmulator();
  return {
    backend: 'npm',
    host: `127.0.0.1:${npm.port}`,
    client: () => npm.client(project),
    stop: npm.stop,
  };
}
