import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe } from 'vitest';
import { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state-store.ts';
import { describeStateStoreContract } from '../contract/state-store.contract.ts';
import { emulatorsMissing } from '../support/emulators/gcloud-emulators.ts';
import {
  type GoogleFirestoreEmulator,
  startGoogleFirestoreEmulator,
} from './support/google-firestore-emulator.ts';

/*
 * The whole StateStore contract on Google's own Firestore emulator: every case runs, transactions
 * included (the emulator locks what a transaction reads, as Firestore does in PESSIMISTIC mode). One
 * emulator serves the file; every case uses collections of its own (see useStateStore), and the
 * emulator is cleared when the file ends.
 */
const missing = await emulatorsMissing(['cloud-firestore-emulator']);
if (missing) console.warn(`StateStore contract on Google's Firestore emulator skipped: ${missing}`);

describe.skipIf(missing !== undefined)(
  `Google's Firestore emulator${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let emulator: GoogleFirestoreEmulator | undefined;
    let firestore: Firestore | undefined;
    beforeAll(async () => {
      emulator = await startGoogleFirestoreEmulator('demo-bridge-contract');
      console.info(`Firestore emulator started in ${emulator.startupMs} ms`);
    }, 120_000);
    afterAll(async () => {
      await emulator?.clear();
      await emulator?.stop();
    });

    describeStateStoreContract(
      "Firestore (on Google's emulator)",
      async () => {
        if (!emulator) throw new Error('the Firestore emulator did not start');
        // One client for the file (a new gRPC channel per case costs more than the case).
        firestore ??= emulator.client();
        const store = new FirestoreStateStore({ firestore, ownsClient: false });
        return { store, cleanup: () => store.close() };
      },
      { concurrency: 'pessimistic' },
    );
  },
);
