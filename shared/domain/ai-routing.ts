/**
 * Which configured models can serve a request, and in which order to try them. Pure: the caller
 * passes measured latencies, prices and a random number in.
 */
export type AiRoutingPolicy = 'cost' | 'latency' | 'weighted';

export interface AiModelCandidate {
  provider: string;
  model: string;
  contextTokens: number;
  structuredOutput: boolean;
  streaming: boolean;
  /** Price per million tokens (USD); undefined when the price table does not know the model. */
  inputPerMtok?: number;
  outputPerMtok?: number;
  /** Smoothed latency of recent successful calls (ms); undefined until measured. */
  latencyMs?: number;
  /** Relative weight for the weighted policy (default 1). */
  weight?: number;
}

export interface AiNeeds {
  structuredOutput: boolean;
  streaming: boolean;
  minContextTokens: number;
  /** For the cost estimate. */
  inputTokens: number;
  maxOutputTokens: number;
}

/** The candidates able to serve `needs`, best first by `policy`. */
export function routeCandidates<C extends AiModelCandidate>(
  candidates: readonly C[],
  needs: AiNeeds,
  policy: AiRoutingPolicy,
  random: () => number = Math.random,
): C[] {
  const able = candidates.filter(
    (c) =>
      c.contextTokens >= needs.minContextTokens &&
      (!needs.structuredOutput || c.structuredOutput) &&
      (!needs.streaming || c.streaming),
  );
  if (policy === 'cost') {
    // Unknown prices go last: we cannot cost them exactly.
    const cost = (c: C) =>
      c.inputPerMtok === undefined || c.outputPerMtok === undefined
        ? Number.POSITIVE_INFINITY
        : needs.inputTokens * c.inputPerMtok + needs.maxOutputTokens * c.outputPerMtok;
    return stableSort(able, (a, b) => cost(a) - cost(b));
  }
  if (policy === 'latency') {
    // An unmeasured model goes first once, so every model gets measured.
    return stableSort(able, (a, b) => (a.latencyMs ?? -1) - (b.latencyMs ?? -1));
  }
  return weightedOrder(able, random);
}

/** Weighted random order without replacement: each pick is proportional to the remaining weights. */
function weightedOrder<C extends AiModelCandidate>(able: readonly C[], random: () => number): C[] {
  const left = [...able];
  const out: C[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, c) => sum + Math.max(0, c.weight ?? 1), 0);
    let r = random() * total;
    let index = left.length - 1;
    for (let i = 0; i < left.length; i++) {
      r -= Math.max(0, left[i]?.weight ?? 1);
      if (r < 0) {
        index = i;
        break;
      }
    }
    out.push(...left.splice(index, 1));
  }
  return out;
}

function stableSort<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => compare(a.item, b.item) || a.i - b.i)
    .map(({ item }) => item);
}

/** Parses `openai=3,anthropic=1` (AI_ROUTING_WEIGHTS); unknown names are kept for the caller to check. */
export function parseWeights(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim());
    if (!name) continue;
    const weight = Number(value);
    if (!Number.isFinite(weight) || weight < 0) throw new Error(`weight of ${name} must be a number ≥ 0`);
    out[name] = weight;
  }
  return out;
}
