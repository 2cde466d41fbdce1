import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import type { StateStore } from '../../../shared/ports/index.ts';

export type OpenStateStore = () => Promise<{ store: StateStore; cleanup: () => Promise<void> }>;
export type StateStoreFeature =
  | 'transactionIsolation'
  | 'ttlPurge'
  /** Ordering on a field (documents without it left out, ties by id) and paging with startAfterId. */
  | 'queryOrdering'
  /** `where [field, '==', null]` (Firestore sends it as an IS_NULL unary filter). */
  | 'nullFilter';
export interface StateStoreContractOptions {
  /**
   * How the store keeps what a transaction read from changing before its commit. `optimistic`: the
   * reads are checked at commit and the function runs again when one changed (SQLite).
   * `pessimistic`: the reads lock their documents, so a write to one waits until the transaction ends
   * (Firestore's server SDKs; the database is created with concurrency_mode PESSIMISTIC).
   */
  concurrency: 'optimistic' | 'pessimistic';
  /** Features the implementation (or its test double) cannot honour, with the reason. */
  unsupported?: Partial<Record<StateStoreFeature, string>>;
}

/**
 * Opens a store before each case and gives every case its own collection names, so the suite can run
 * against a shared server (an emulator) without cases seeing each other's documents.
 */
export function useStateStore(open: OpenStateStore): {
  store: () => StateStore;
  collection: (n?: string) => string;
} {
  let current: { store: StateStore; cleanup: () => Promise<void> } | undefined;
  let prefix = '';
  beforeEach(async () => {
    current = await open();
    prefix = `contract-${randomUUID().slice(0, 8)}`;
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return {
    store: () => {
      if (!current) throw new Error('store used outside a test');
      return current.store;
    },
    collection: (name = 'docs') => `${prefix}-${name}`,
  };
}

/** Runs `fn` and returns the AppError-style code it rejected with (or 'resolved'). */
export async function errorCode(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'resolved';
  } catch (err) {
    return String((err as { code?: unknown }).code ?? (err as Error).message);
  }
}
