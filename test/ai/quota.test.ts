import type { Firestore } from '@google-cloud/firestore';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state-store.ts';
import { SqliteStateStore } from '../../shared/adapters/local/index.ts';
import { aiDailyRequests, decideQuota, quotaPeriods } from '../../shared/domain/index.ts';
import type { StateStore } from '../../shared/ports/index.ts';
import { tempDir } from '../contract/support/temp-dir.ts';
import {
  type GoogleFirestoreEmulator,
  startGoogleFirestoreEmulator,
} from '../gcp/support/google-firestore-emulator.ts';
import { emulatorsMissing } from '../support/emulators/gcloud-emulators.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { quotaCases } from './quota-cases.ts';

describe('quota arithmetic', () => {
  it('tiers: free 10, starter 100, pro 1000, enterprise configured, anything else free', () => {
    expect(['free', 'starter', 'pro', 'enterprise', 'standard'].map((t) => aiDailyRequests(t, 5000))).toEqual(
      [10, 100, 1000, 5000, 10],
    );
  });
  it('periods are UTC days and months', () => {
    expect(quotaPeriods(new Date('2026-12-31T23:59:59Z'))).toMatchObject({
      day: '2026-12-31',
      month: '2026-12',
      dayEndsAt: new Date('2027-01-01T00:00:00Z'),
      monthEndsAt: new Date('2027-01-01T00:00:00Z'),
    });
  });
  it('refuses at 100 %: the request that would be the 11th, or an estimate past the budget', () => {
    const usage = { dayRequests: 9, monthCostPico: 50, monthReservedPico: 30 };
    expect(decideQuota(usage, { dailyRequests: 10 }, 0)).toEqual({ ok: true });
    expect(decideQuota({ ...usage, dayRequests: 10 }, { dailyRequests: 10 }, 0)).toEqual({
      ok: false,
      limit: 'daily-requests',
    });
    expect(decideQuota(usage, { dailyRequests: 10, monthlyBudgetPico: 100 }, 20)).toEqual({ ok: true });
    expect(decideQuota(usage, { dailyRequests: 10, monthlyBudgetPico: 100 }, 21)).toEqual({
      ok: false,
      limit: 'monthly-budget',
    });
  });
});

let loop: LoopbackAi;
beforeEach(async () => {
  loop = await startLoopbackAi();
});
afterEach(async () => {
  await loop.close();
});

describe('quotas on SQLite (4 connections to one file, as 4 instances)', () => {
  const opened: Array<{ stores: StateStore[]; remove: () => Promise<void> }> = [];
  afterAll(async () => {
    for (const o of opened) {
      for (const s of o.stores) await s.close();
      await o.remove();
    }
  });
  quotaCases(
    () => loop,
    async () => {
      const dir = await tempDir();
      const file = `${dir.path}/state.sqlite`;
      const stores = Array.from({ length: 4 }, () => new SqliteStateStore({ file }));
      opened.push({ stores, remove: dir.remove });
      return stores;
    },
    'sqlite',
  );
});

const missing = await emulatorsMissing(['cloud-firestore-emulator']);
if (missing) console.warn(`AI quotas on Google's Firestore emulator skipped: ${missing}`);

describe.skipIf(missing !== undefined)(
  `quotas on Google's Firestore emulator (4 clients)${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let emulator: GoogleFirestoreEmulator | undefined;
    const clients: Firestore[] = [];
    let run = 0;
    beforeAll(async () => {
      emulator = await startGoogleFirestoreEmulator('demo-bridge-ai-quota');
    }, 120_000);
    afterAll(async () => {
      await emulator?.stop();
    });
    quotaCases(
      () => loop,
      async () => {
        if (!emulator) throw new Error('the Firestore emulator did not start');
        if (clients.length === 0) for (let i = 0; i < 4; i++) clients.push(emulator.client());
        run += 1;
        return clients.map((firestore) => new FirestoreStateStore({ firestore, ownsClient: false }));
      },
      `firestore${Date.now()}`,
    );
    it('ran', () => expect(run).toBeGreaterThan(0));
  },
);
