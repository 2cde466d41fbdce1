import { describe } from 'vitest';
import { stateStoreCrudCases } from './cases/state-store-crud.cases.ts';
import { stateStoreIsolationCases } from './cases/state-store-isolation.cases.ts';
import { stateStoreQueryCases } from './cases/state-store-query.cases.ts';
import { stateStoreSizeCases } from './cases/state-store-size.cases.ts';
import { stateStoreTransactionCases } from './cases/state-store-transaction.cases.ts';
import { stateStoreTtlCases } from './cases/state-store-ttl.cases.ts';
import type { OpenStateStore, StateStoreContractOptions } from './support/state-store-harness.ts';

export type {
  OpenStateStore,
  StateStoreContractOptions,
} from './support/state-store-harness.ts';

/**
 * The StateStore contract. Call it from a `*.test.ts` file with a function that opens a fresh store
 * (or one on a shared server: every case uses its own collection names) and a cleanup.
 * `options.concurrency` says which isolation cases apply (see state-store-isolation.cases.ts).
 * Features an implementation cannot honour are listed in `options.unsupported` with the reason; their
 * cases are skipped with the reason in the test name.
 */
export function describeStateStoreContract(
  name: string,
  open: OpenStateStore,
  options: StateStoreContractOptions,
): void {
  describe(`StateStore contract: ${name}`, () => {
    stateStoreCrudCases(open);
    stateStoreQueryCases(open, options);
    stateStoreTransactionCases(open);
    stateStoreIsolationCases(open, options);
    stateStoreTtlCases(open, options);
    stateStoreSizeCases(open);
  });
}
