import { afterAll, beforeAll, describe } from 'vitest';
import { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state-store.ts';
import { describeStateStoreContract } from '../contract/state-store.contract.ts';
import { emulatorsMissing } from '../support/emulators/gcloud-emulators.ts';
import { type FirestoreEmulator, startFirestoreEmulator } from './support/firestore-emulator.ts';

/*
 * The fallback where Google's Firestore emulator cannot run (no gcloud component or no Java, as on
 * machines built from the Debian 13 image): the contract on @firestore-emulator/server, with the cases
 * it cannot do skipped. Where Google's emulator runs, firestore-google.contract.test.ts runs every
 * case on it and this file is skipped.
 */
const missing = await emulatorsMissing(['cloud-firestore-emulator']);

describe.skipIf(missing === undefined)(
  `npm Firestore emulator${missing ? '' : " (skipped: Google's emulator is here; firestore-google.contract.test.ts runs the contract on it)"}`,
  () => {
    let emulator: FirestoreEmulator;
    beforeAll(async () => {
      emulator = await startFirestoreEmulator();
    });
    afterAll(async () => {
      await emulator?.stop();
    });

    describeStateStoreContract(
      'Firestore (on @firestore-emulator/server)',
      async () => {
        const store = new FirestoreStateStore({ firestore: emulator.client(), maxTransactionAttempts: 3 });
        return { store, cleanup: () => store.close() };
      },
      {
        concurrency: 'pessimistic',
        unsupported: {
          transactionIsolation:
            'the emulator takes no locks and detects no conflicts: a transaction never sees contention',
          queryOrdering:
            'the emulator ignores query cursors (startAt/startAfter) and __name__ ordering, and keeps documents without the ordering field',
          nullFilter: 'the emulator ignores unary filters (IS_NULL), so == null matches every document',
        },
      },
    );
  },
);
