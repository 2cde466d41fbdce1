import { z } from 'zod';
import { tenantCredentials } from '../../access/index.ts';
import type { AppContext } from '../../context/index.ts';
import { deepEqual, LinkPolicy } from '../../domain/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import { COLLECTIONS, getLink, type Link, type Operation } from '../../records/index.ts';
import { newOperationId } from '../../sync/queue-sync.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { fieldError, readJson } from '../validate.ts';
import { CreateLinkBody } from './links.ts';

type PolicyField = keyof LinkPolicy;

/** The policy fields a change may name: LinkPolicy's, without their defaults (absent = unchanged). */
const P = LinkPolicy.shape;
const PolicyChange = z
  .object({
    writes: P.writes.unwrap().optional(),
    onConflict: P.onConflict.unwrap().optional(),
    onRemoval: P.onRemoval.unwrap().optional(),
    versions: P.versions.unwrap().optional(),
    maxDeletePercent: P.maxDeletePercent.unwrap().optional(),
    mode: P.mode.unwrap().optional(),
  })
  .strict();

export const UpdateLinkBody = z
  .object({
    policy: PolicyChange.optional().describe('Only the fields to change; the rest of the policy stays'),
    branch: CreateLinkBody.shape.branch,
    mode: P.mode.unwrap().optional().describe('Shorthand for policy.mode'),
  })
  .strict();
type UpdateLinkBody = z.infer<typeof UpdateLinkBody>;

export type SettingChanges = Record<string, { from: unknown; to: unknown }>;

/** The link with the change applied (the policy validated as a whole), and what changed. */
export function applySettings(link: Link, body: UpdateLinkBody): { next: Link; changes: SettingChanges } {
  if (body.mode !== undefined && body.policy?.mode !== undefined && body.mode !== body.policy.mode) {
    throw fieldError('mode', 'differs from policy.mode; give one of them');
  }
  const current = LinkPolicy.parse(link.policy);
  const parsed = LinkPolicy.safeParse({
    ...current,
    ...body.policy,
    ...(body.mode ? { mode: body.mode } : {}),
  });
  if (!parsed.success) throw fieldError('policy', parsed.error.issues.map((i) => i.message).join('; '));
  const changes: SettingChanges = {};
  for (const name of Object.keys(parsed.data) as PolicyField[]) {
    if (!deepEqual(current[name], parsed.data[name]))
      changes[`policy.${name}`] = { from: current[name], to: parsed.data[name] };
  }
  let next: Link = { ...link, policy: parsed.data };
  if (body.branch !== undefined && body.branch !== link.branch) {
    changes.branch = { from: link.branch, to: body.branch };
    // The positions and any proposal belong to the old branch: the next sync starts on the new one.
    const { pendingPullRequest: _pending, declinedProposal: _declined, ...rest } = next;
    next = { ...rest, branch: body.branch, positions: { ...link.positions, headSha: undefined } };
  }
  return { next, changes };
}

function settingsOperation(link: Link, caller: Caller, changes: SettingChanges, now: string): Operation {
  return {
    id: newOperationId(),
    linkId: link.id,
    tenant: link.tenant,
    trigger: 'settings',
    direction: 'both',
    dryRun: false,
    status: 'succeeded',
    attempts: [],
    outcome: 'settings-changed',
    conflicts: 0,
    apiCalls: {},
    progress: [{ step: `changed ${Object.keys(changes).join(', ')}`, at: now }],
    queuedAt: now,
    startedAt: now,
    finishedAt: now,
    durationMs: 0,
    actor: caller.admin ? 'admin' : `key ${caller.keyId}`,
    settings: changes,
  };
}

/** Refuses a branch the repository does not have (a typo would leave the link failing every sync). */
async function requireBranch(ctx: AppContext, link: Link, branch: string): Promise<void> {
  const registry = await ctx.providers();
  const repo = registry.repo(link.repo, await tenantCredentials(ctx, link));
  if ((await repo.headSha(branch)) === undefined) {
    throw fieldError('branch', `the repository has no branch "${branch}"`);
  }
}

export function linkSettingsRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('PATCH', '/api/v1/links/{id}', async (req, { id }, caller) => {
    const body = await readJson(req, UpdateLinkBody);
    if (body.policy === undefined && body.branch === undefined && body.mode === undefined) {
      throw fieldError('(body)', 'give policy, branch or mode to change');
    }
    const found = await getLink(ctx.state, caller.tenant, id ?? '');
    if (body.branch !== undefined && body.branch !== found.data.branch)
      await requireBranch(ctx, found.data, body.branch);
    const result = await ctx.state.runTransaction(async (tx) => {
      const doc = await tx.get<Link>(COLLECTIONS.links, found.id);
      if (!doc) throw new AppError('not_found', `Link ${found.id} not found`);
      const { next, changes } = applySettings(doc.data, body);
      if (Object.keys(changes).length === 0) return { link: doc.data, changes };
      const now = ctx.now().toISOString();
      const link = clean({ ...next, updatedAt: now }) as Link;
      const operation = settingsOperation(link, caller, changes, now);
      tx.update(COLLECTIONS.links, link.id, link, { ifVersion: doc.version });
      tx.set(COLLECTIONS.operations, operation.id, clean(operation));
      return { link, changes, operationId: operation.id };
    });
    return json(200, { ...result.link, changes: result.changes, operationId: result.operationId });
  });
}

/** JSON round trip: drops undefined values, which document stores refuse. */
function clean<T>(value: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
