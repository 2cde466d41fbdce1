import { afterAll, beforeAll } from 'vitest';
import { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state-store.ts';
import { describeStateStoreContract } from '../contract/state-store.contract.ts';
import { type FirestoreEmulator, startFirestoreEmulator } from './support/firestore-emulator.ts';

let emulator: FirestoreEmulator;
beforeAll(async () => {
  emulator = await startFirestoreEmulator();
});
afterAll(async () => {
  await emulator.stop();
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
