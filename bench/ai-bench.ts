import { OpenAI } from 'openai';
import { z } from 'zod';
import { FirestoreStateStore } from '../shared/adapters/gcp/firestore-state-store.ts';
import { SqliteStateStore } from '../shared/adapters/local/index.ts';
import { AiQuota, createAiGateway } from '../shared/ai/index.ts';
import { loadConfig } from '../shared/config/index.ts';
import type { StateStore } from '../shared/ports/index.ts';
import { tempDir } from '../test/contract/support/temp-dir.ts';
import { startGoogleFirestoreEmulator } from '../test/gcp/support/google-firestore-emulator.ts';
import { emulatorsMissing } from '../test/support/emulators/gcloud-emulators.ts';
import { type AiFault, startLoopbackAi } from '../test/support/loopback-ai/index.ts';
import { type LatencySummary, latencySummary, median } from './lib/stats.ts';

export interface AiBenchResult {
  /** Time from the request to the answer of the second provider, the first failing in each way. */
  failoverMs: Record<string, LatencySummary>;
  attemptTimeoutMs: number;
  /** Median per request: through the gateway, and the same call on the OpenAI client directly. */
  overheadMs: { gateway: number; direct: number; overhead: number };
  /**
   * Median reserve + settle of one request's quota on each store: SQLite, and Firestore on Google's
   * emulator where it runs here (else why not).
   */
  reservationMs: { sqlite: number; firestore?: number; firestoreSkipped?: string };
}

const Answer = z.object({ summary: z.string() });
const request = (tenant = 'bench') => ({
  purpose: 'bench',
  tenant,
  keyId: 'bench',
  tier: 'enterprise',
  instructions: 'Summarise.',
  data: 'services: api, worker',
  schema: Answer,
  maxOutputTokens: 256,
});

/** Failover switchover, the orchestrator's overhead over its client, and a reservation's cost. */
export async function runAiBench(plan: { runs: number; overheadRuns: number }): Promise<AiBenchResult> {
  const loop = await startLoopbackAi();
  try {
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: loop.baseUrls.openai,
      GEMINI_API_KEY: 'bench',
      GEMINI_BASE_URL: loop.baseUrls.gemini,
    });
    const faults: Record<string, AiFault> = {
      '429': { status: 429 },
      '500': { status: 500 },
      reset: { reset: true },
      'slow first byte': { delayMs: config.AI_ATTEMPT_TIMEOUT_MS + 2_000 },
    };
    const failoverMs: AiBenchResult['failoverMs'] = {};
    for (const [name, fault] of Object.entries(faults)) {
      const samples: number[] = [];
      for (let i = 0; i < plan.runs; i++) {
        // A fresh gateway each run: the breaker would otherwise open and skip the failing provider.
        const gateway = createAiGateway(config);
        // Its key checks (one model list per provider) finish before the clock starts.
        await gateway?.keysChecked();
        loop.fault('openai', fault);
        const started = performance.now();
        const answer = await gateway?.generate(request());
        samples.push(performance.now() - started);
        if (answer?.provider !== 'gemini') throw new Error(`failover on ${name} did not reach gemini`);
      }
      failoverMs[name] = latencySummary(samples);
    }

    const only = createAiGateway({ ...config, GEMINI_API_KEY: undefined });
    await only?.keysChecked();
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL: loop.baseUrls.openai, maxRetries: 0 });
    const direct = async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4.1-mini',
        messages: [
          { role: 'system', content: 'Summarise.' },
          { role: 'user', content: 'services: api, worker' },
        ],
        max_completion_tokens: 256,
        stream: true,
        stream_options: { include_usage: true },
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'answer', schema: z.toJSONSchema(Answer) },
        },
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      return Answer.parse(JSON.parse(text));
    };
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < plan.overheadRuns; i++) {
      let t = performance.now();
      await only?.generate(request());
      ours.push(performance.now() - t);
      t = performance.now();
      await direct();
      theirs.push(performance.now() - t);
    }

    const dir = await tempDir('bridge-ai-bench-');
    const state = new SqliteStateStore({ file: `${dir.path}/state.sqlite` });
    const sqlite = await reservationCost(state, plan.overheadRuns);
    await state.close();
    await dir.remove();
    const firestore = await firestoreReservationCost(Math.min(plan.overheadRuns, 100));

    const gateway = median(ours);
    const plain = median(theirs);
    return {
      failoverMs,
      attemptTimeoutMs: config.AI_ATTEMPT_TIMEOUT_MS,
      overheadMs: { gateway, direct: plain, overhead: gateway - plain },
      reservationMs: { sqlite, ...firestore },
    };
  } finally {
    await loop.close();
  }
}

/** Median reserve + settle of one request's quota (ten tenants in turn) on `state`. */
async function reservationCost(state: StateStore, runs: number): Promise<number> {
  const quota = new AiQuota(state, { enterpriseDailyRequests: 1e9, now: () => new Date() });
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await quota.reserve(`bench-${i % 10}`, 'enterprise', 1000);
    await r?.settle({ served: true, costPico: 900 });
    samples.push(performance.now() - t);
  }
  return median(samples);
}

/** The same on Google's Firestore emulator, started for the measurement and stopped after it. */
async function firestoreReservationCost(
  runs: number,
): Promise<{ firestore?: number; firestoreSkipped?: string }> {
  const missing = await emulatorsMissing(['cloud-firestore-emulator']);
  if (missing) return { firestoreSkipped: missing };
  const emulator = await startGoogleFirestoreEmulator('demo-bridge-bench');
  try {
    const store = new FirestoreStateStore({ firestore: emulator.client(), ownsClient: false });
    const firestore = await reservationCost(store, runs);
    await store.close();
    return { firestore };
  } finally {
    await emulator.stop();
  }
}
