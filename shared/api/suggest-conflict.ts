import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context/index.ts';
import {
  checkProposal,
  LinkPolicy,
  type PolicySuggestion,
  policySuggestion,
  proposalTake,
  RESOLVE_TAKES,
  type ResolutionProposal,
  SUGGESTION_CHOICES,
} from '../domain/index.ts';
import { AppError } from '../errors/index.ts';
import type { AiGateway } from '../ports/index.ts';
import { COLLECTIONS, type ConflictRecord, type Link } from '../records/index.ts';
import type { Caller } from './api-keys.ts';
import { conflictPrompt, MAX_PROMPT_DATA, SUGGESTION_INSTRUCTIONS } from './suggestion-prompt.ts';

/** `GET …/conflicts/{cid}/suggestion`: a proposal to show a person; applying it is the resolve route's job. */
export const ConflictSuggestion = z.object({
  conflictId: z.string(),
  choice: z.enum(SUGGESTION_CHOICES).describe('Take the design’s value, the definitions’ value, or `value`'),
  value: z
    .unknown()
    .optional()
    .describe('The merged value (choice merged); null removes the field or service'),
  rationale: z.string().describe('One paragraph: why this resolution'),
  source: z
    .enum(['policy', 'model'])
    .describe('The bridge’s own rules, or a model’s proposal that passed them'),
  reason: z
    .string()
    .optional()
    .describe('Why the model was not used or its proposal not taken (source policy)'),
  apply: z
    .object({ take: z.enum(RESOLVE_TAKES), value: z.unknown().optional() })
    .describe('The body of POST …/conflicts/{cid}/resolve that applies this suggestion'),
  createdAt: z.string(),
});
export type ConflictSuggestion = z.infer<typeof ConflictSuggestion>;

/**
 * What the model must answer, in the plainest JSON Schema every provider's structured output takes
 * (no untyped values, no length keywords): the merged value travels as JSON text and is parsed and
 * checked afterwards exactly as a person's value is; the rationale is bounded afterwards too.
 */
const ModelProposal = z
  .object({
    choice: z.enum(SUGGESTION_CHOICES),
    mergedValueJson: z
      .string()
      .optional()
      .describe('For choice merged: the merged value as JSON text (null removes the field or service)'),
    rationale: z.string(),
  })
  .strict();

/** A suggestion depends only on the conflict and the policy: kept a day, asked again after. */
const CACHE_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_RATIONALE = 1200;
const MAX_OUTPUT_TOKENS = 1500;
/** A merged value as JSON text: more than a whole service at its schema's limits is refused unread. */
const MAX_MERGED_JSON = 200_000;

type CachedSuggestion = {
  linkId: string;
  tenant: string;
  key: string;
  suggestion: ConflictSuggestion;
};

/**
 * The suggestion for one open conflict of `link`: the policy's answer, or with a provider the
 * model's proposal when it passes the resolve route's checks (else the policy's, saying why). A
 * model's answer is cached per conflict (state store, TTL), so asking again costs no tokens; an
 * answer that could not be had for now (quota, providers down) is not, so the next ask tries again.
 */
export async function suggestConflict(
  ctx: AppContext,
  caller: Caller,
  link: { id: string; data: Link },
  conflictId: string,
): Promise<ConflictSuggestion> {
  const doc = await ctx.state.get<ConflictRecord>(COLLECTIONS.conflicts, conflictId);
  if (!doc || doc.data.linkId !== link.id)
    throw new AppError('not_found', `Conflict ${conflictId} not found`);
  const conflict = doc.data;
  if (conflict.state !== 'open') {
    throw new AppError('conflict', `Conflict ${conflictId} is already settled (${conflict.resolution})`);
  }
  const parsed = LinkPolicy.safeParse(link.data.policy);
  const policy = parsed.success ? parsed.data : LinkPolicy.parse({});
  const fallback = policySuggestion(conflict, policy);
  const now = () => ctx.now().toISOString();
  let ai: AiGateway | undefined;
  try {
    ai = await ctx.ai();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return view(conflict.id, fallback, now(), `the AI layer could not start: ${err.message}`);
  }
  if (!ai) return view(conflict.id, fallback, now(), 'no AI provider is configured');
  const data = conflictPrompt(conflict, policy, fallback);
  if (data.length > MAX_PROMPT_DATA) {
    return view(conflict.id, fallback, now(), 'the conflict’s values are too large to send to a model');
  }
  const key = createHash('sha256').update(data).digest('hex');
  const cached = await ctx.state.get<CachedSuggestion>(COLLECTIONS.conflictSuggestions, conflict.id);
  const fresh = cached?.expireAt !== undefined && Date.parse(cached.expireAt) > ctx.now().getTime();
  if (cached && fresh && cached.data.key === key && cached.data.linkId === link.id)
    return cached.data.suggestion;
  return ctx.singleFlight.run(`conflict-suggestion:${conflict.id}:${key}`, async () => {
    const outcome = await askModel(ai, { tenant: link.data.tenant, caller, data });
    let suggestion: ConflictSuggestion;
    if ('unavailable' in outcome) suggestion = view(conflict.id, fallback, now(), outcome.unavailable);
    else {
      const proposed = outcome.proposal;
      const checked = proposalOf(proposed, conflict);
      suggestion = checked.ok
        ? view(conflict.id, { ...checked.proposal, rationale: paragraph(proposed.rationale) }, now())
        : view(
            conflict.id,
            fallback,
            now(),
            `the model proposed ${proposed.choice}, which a resolution may not be: ${checked.reason}`,
          );
    }
    if (outcome.spent) {
      const record: CachedSuggestion = { linkId: link.id, tenant: link.data.tenant, key, suggestion };
      await ctx.state.set(COLLECTIONS.conflictSuggestions, conflict.id, record, {
        expireAt: new Date(ctx.now().getTime() + CACHE_TTL_MS),
      });
    }
    return suggestion;
  });
}

type ModelOutcome =
  | { proposal: z.infer<typeof ModelProposal>; spent: true }
  | { unavailable: string; spent: boolean };

/** One gateway call; a refusal or failure is an outcome (the policy answers instead), not an error. */
async function askModel(
  ai: AiGateway,
  { tenant, caller, data }: { tenant: string; caller: Caller; data: string },
): Promise<ModelOutcome> {
  try {
    const answer = await ai.generate({
      purpose: 'conflict-suggestion',
      tenant,
      keyId: caller.keyId,
      tier: caller.tier,
      instructions: SUGGESTION_INSTRUCTIONS,
      data,
      schema: ModelProposal,
      maxOutputTokens: MAX_OUTPUT_TOKENS,
    });
    return { proposal: answer.value, spent: true };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const failed = (err.details as { failedOver?: Array<{ code: string }> } | undefined)?.failedOver ?? [];
    const outsideSchema = failed.length > 0 && failed.every((f) => f.code === 'invalid_output');
    if (outsideSchema)
      return { unavailable: 'the model’s answer did not fit the suggestion schema', spent: true };
    if (err.code === 'rate_limited') {
      const retry = err.headers['retry-after'];
      return {
        unavailable: `the AI quota or rate limit is reached${retry ? ` (retry after ${retry} s)` : ''}: ${err.message}`,
        spent: false,
      };
    }
    if (err.status >= 500 || err.code === 'bad_request') {
      return { unavailable: `no AI provider answered: ${err.message}`, spent: false };
    }
    throw err;
  }
}

function view(
  conflictId: string,
  proposal: ResolutionProposal & Pick<PolicySuggestion, 'rationale'>,
  createdAt: string,
  reason?: string,
): ConflictSuggestion {
  const source = reason === undefined ? 'model' : 'policy';
  return {
    conflictId,
    choice: proposal.choice,
    ...(proposal.choice === 'merged' ? { value: proposal.value ?? null } : {}),
    rationale: proposal.rationale,
    source,
    ...(reason === undefined ? {} : { reason }),
    apply: proposalTake(proposal),
    createdAt,
  };
}

/** The model's answer as a proposal (its merged value parsed from JSON text), then `check`ed. */
function proposalOf(
  answer: z.infer<typeof ModelProposal>,
  conflict: ConflictRecord,
): ReturnType<typeof checkProposal> {
  const check = (p: ResolutionProposal) => checkProposal(conflict, p);
  if (answer.choice !== 'merged') return check({ choice: answer.choice });
  if (answer.mergedValueJson === undefined) return { ok: false, reason: 'a merged choice without a value' };
  if (answer.mergedValueJson.length > MAX_MERGED_JSON)
    return { ok: false, reason: 'a merged value too large' };
  try {
    return check({ choice: 'merged', value: JSON.parse(answer.mergedValueJson) });
  } catch {
    return { ok: false, reason: 'a merged value that is not JSON' };
  }
}

/** The model's rationale as one paragraph of bounded length. */
function paragraph(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim() || 'The model gave no reason.';
  return flat.length > MAX_RATIONALE ? `${flat.slice(0, MAX_RATIONALE - 1)}…` : flat;
}
