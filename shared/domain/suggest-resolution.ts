import semver from 'semver';
import { AppError } from '../errors/index.ts';
import type { ConflictKind, MergeConflict } from './conflicts.ts';
import { deepEqual } from './deep-equal.ts';
import { isSetField, settleFieldConflict, unionOfSets } from './field-merge.ts';
import { DEFAULT_POLICY, type LinkPolicy } from './policy.ts';
import { type ResolveTake, resolveConflict } from './resolve-conflict.ts';

export const SUGGESTION_CHOICES = ['design', 'definitions', 'merged'] as const;
export type SuggestionChoice = (typeof SUGGESTION_CHOICES)[number];

/** What a suggestion proposes: one side's value, or a merged value (`value`, null removes). */
export interface ResolutionProposal {
  choice: SuggestionChoice;
  value?: unknown;
}

/** A checked proposal with a one-paragraph rationale, and the rule behind it (for tests and the audit). */
export interface PolicySuggestion extends ResolutionProposal {
  rationale: string;
  rule: 'link-policy' | 'higher-version' | 'set-union' | 'keep-changed' | 'removal' | 'default-policy';
}

/** The facts of a recorded conflict a suggestion needs (a ConflictRecord has them). */
export type ConflictFacts = Pick<MergeConflict, 'serviceId' | 'field' | 'base' | 'design' | 'definitions'> & {
  kind: ConflictKind | string;
};

/** The resolve route's `take` (and `value`) that applies a proposal. */
export function proposalTake(proposal: ResolutionProposal): { take: ResolveTake; value?: unknown } {
  if (proposal.choice === 'merged') return { take: 'value', value: proposal.value ?? null };
  return { take: proposal.choice };
}

/**
 * Checks a proposal exactly as the resolve route checks a person's choice (`resolveConflict`: the
 * service schema, paths inside the repository, the id kept) and returns it with the value as that
 * check normalises it; or why it was refused.
 */
export function checkProposal(
  conflict: ConflictFacts,
  proposal: ResolutionProposal,
): { ok: true; proposal: ResolutionProposal } | { ok: false; reason: string } {
  if (!SUGGESTION_CHOICES.includes(proposal.choice)) return { ok: false, reason: 'an unknown choice' };
  if (proposal.choice === 'merged' && proposal.value === undefined) {
    return { ok: false, reason: 'a merged choice without a value' };
  }
  const { take, value } = proposalTake(proposal);
  try {
    const resolution = resolveConflict(conflict, take, value);
    return {
      ok: true,
      proposal:
        proposal.choice === 'merged'
          ? { choice: 'merged', value: resolution.value }
          : { choice: take as SuggestionChoice },
    };
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation_failed')
      return { ok: false, reason: err.message };
    throw err;
  }
}

/**
 * The suggestion the bridge's own rules give, with no model: the link's policy when it settles the
 * conflict (design-wins, definitions-wins, higher-wins, propagate); for an open one (manual) the rule
 * a person would most likely apply: the higher semver of two versions, the union of two sets, a
 * removal kept when the other side edited the service, else the default policy (the design wins).
 * Every candidate passes `checkProposal`; one that fails (a union over the schema's size) gives way.
 */
export function policySuggestion(conflict: ConflictFacts, policy: LinkPolicy): PolicySuggestion {
  for (const candidate of candidates(conflict, policy)) {
    if (checkProposal(conflict, candidate).ok) return candidate;
  }
  throw new AppError('validation_failed', 'Neither side of this conflict is a valid value any more');
}

function* candidates(c: ConflictFacts, policy: LinkPolicy): Generator<PolicySuggestion> {
  if (c.field === null) {
    yield* removalCandidates(c, policy);
    return;
  }
  const added = c.kind === 'add-add';
  const settle = (p: LinkPolicy) =>
    settleFieldConflict(c.serviceId, c.field ?? '', added, c.base ?? undefined, c.design, c.definitions, p);
  const own = settle(policy);
  if (own.resolution !== 'open') yield fromSettled(c, own, 'link-policy', policy);
  const versions = settle({ ...policy, versions: 'higher-wins' });
  if (versions.resolution === 'higher-version') yield fromSettled(c, versions, 'higher-version', policy);
  if (isSetField(c.field) && Array.isArray(c.design) && Array.isArray(c.definitions)) {
    const union = unionOfSets(c.design, c.definitions);
    const gained = c.definitions.filter((v) => !(c.design as unknown[]).some((d) => deepEqual(d, v)));
    yield {
      choice: 'merged',
      value: union,
      rule: 'set-union',
      rationale:
        `“${c.field}” is a set (its order carries no meaning), so the union keeps every entry either ` +
        `side has: the design's ${show(c.design)} plus ${gained.length > 0 ? show(gained) : 'nothing'} from ` +
        'the definitions. An entry one side removed stays; remove it again on purpose if it should go.',
    };
  }
  const fallback = settle({ ...DEFAULT_POLICY, versions: policy.versions });
  yield fromSettled(c, fallback, 'default-policy', policy);
}

function fromSettled(
  c: ConflictFacts,
  settled: ReturnType<typeof settleFieldConflict>,
  rule: PolicySuggestion['rule'],
  policy: LinkPolicy,
): PolicySuggestion {
  const subject = `Both sides changed “${c.field}” of ${c.serviceId} (design ${show(c.design)}, definitions ${show(c.definitions)})`;
  if (settled.resolution === 'higher-version') {
    const higher = settled.value as string;
    const lower = (higher === c.design ? c.definitions : c.design) as string;
    const choice = higher === c.design ? 'design' : 'definitions';
    const step = semver.diff(lower, higher) ?? 'version';
    return {
      choice,
      rule,
      rationale:
        `${subject}. The higher semver wins${rule === 'link-policy' ? ' (the link’s policy: versions higher-wins)' : ', as the versions: higher-wins policy settles it'}: ` +
        `${higher} is a ${step} step over ${lower}, so the ${choice} value is suggested. A lower version would undo a release.`,
    };
  }
  const choice = settled.resolution === 'definitions' ? 'definitions' : 'design';
  const why =
    rule === 'link-policy'
      ? `The link’s policy settles concurrent edits with ${choice}-wins`
      : `The policy is manual, so no rule settled it; the bridge's default for concurrent edits is design-wins` +
        (policy.onConflict === 'manual' ? ' (the design is where the architecture is drawn)' : '');
  return { choice, rule, rationale: `${subject}. ${why}, so the ${choice} value is suggested.` };
}

function* removalCandidates(c: ConflictFacts, policy: LinkPolicy): Generator<PolicySuggestion> {
  const removedBy = c.design === null ? 'design' : 'definitions';
  const keptBy = removedBy === 'design' ? 'definitions' : 'design';
  const kept = removedBy === 'design' ? c.definitions : c.design;
  const edited = c.base !== null && c.base !== undefined && !deepEqual(kept, c.base);
  if (policy.onRemoval === 'propagate' && !edited) {
    yield {
      choice: removedBy,
      rule: 'link-policy',
      rationale: `The ${removedBy} removed ${c.serviceId} and the ${keptBy} left it as it was; the link’s policy propagates removals (onRemoval: propagate), so deleting it everywhere is suggested. Nothing edited is lost.`,
    };
  }
  if (edited) {
    yield {
      choice: keptBy,
      rule: 'keep-changed',
      rationale: `The ${removedBy} removed ${c.serviceId} while the ${keptBy} edited it since the last sync. Deleting it would lose those edits, so keeping the ${keptBy}'s version everywhere is suggested; remove it again once the edits are no longer needed.`,
    };
  }
  yield {
    choice: removedBy,
    rule: 'removal',
    rationale: `The ${removedBy} removed ${c.serviceId} and the ${keptBy} has it unchanged since the last sync: the removal looks deliberate and loses no edit, so deleting it everywhere is suggested (what onRemoval: propagate would do).`,
  };
  yield {
    choice: keptBy,
    rule: 'keep-changed',
    rationale: `The ${removedBy} removed ${c.serviceId}; keeping the ${keptBy}'s version everywhere is what the manual removal policy does until someone decides.`,
  };
}

/** A value as short JSON for a rationale (a long one cut: a rationale stays one paragraph). */
function show(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
