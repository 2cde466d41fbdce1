import {
  conflictFingerprint,
  type DesignExport,
  type DriftReport,
  type MergeConflict,
  measureJson,
  type ServiceDefinition,
} from '../domain/index.ts';
import { AppError } from '../errors/index.ts';
import { MAX_DOCUMENT_BYTES, type StateStore } from '../ports/index.ts';
import { COLLECTIONS, type ConflictRecord, type Link, type Operation } from '../records/index.ts';
import type { SyncPlan } from './plan-sync.ts';

export interface StateCommit {
  linkId: string;
  /** The link version read at the start: another run committing first makes this one retry. */
  linkVersion: string;
  link: Partial<Link>;
  base?: { services: ServiceDefinition[]; designExport?: DesignExport | undefined };
  operation: Operation;
  conflicts: readonly MergeConflict[];
  /** Issue URLs opened for conflicts in this run, by fingerprint. */
  issues: ReadonlyMap<string, string>;
  /** Settled conflicts this run wrote to both sides. */
  appliedConflictIds: readonly string[];
  /** Open conflicts this run no longer found (someone made the sides agree): settled as superseded. */
  supersededConflictIds: readonly string[];
  /** Drift once this run's writes landed; absent: the stored findings stay as they are. */
  drift?: DriftReport | undefined;
  now: string;
}

/**
 * Throws `payload_too_large` when the base snapshot this plan would record is larger than a stored
 * document may be. Called before either side is written: both sides written with no record of it
 * would leave the link behind its own writes, failing the same way on every later sync.
 */
export function checkBaseFits(
  linkId: string,
  plan: Pick<SyncPlan, 'baseIfDirect' | 'baseIfPending' | 'designExport'>,
  now: string,
): void {
  for (const services of [plan.baseIfDirect, plan.baseIfPending]) {
    const doc = { linkId, services, designExport: plan.designExport, updatedAt: now };
    if (measureJson(doc, MAX_DOCUMENT_BYTES).ok) continue;
    throw new AppError(
      'payload_too_large',
      `The base snapshot of this link (its services and design export) would be over the state store's limit of ${MAX_DOCUMENT_BYTES} bytes per document; nothing was written. Split the architecture across links or trim large metadata.`,
    );
  }
}

/** A conflict's document id: built from its link and fingerprint, never taken apart (both are fields). */
export function conflictId(linkId: string, fingerprint: string): string {
  return `${linkId}_${fingerprint}`;
}

/**
 * The fingerprint of a stored conflict. Records written before the field existed get it from their
 * own values, the same way the merge computes it, so no stored id is ever parsed.
 */
export function fingerprintOf(
  record: Pick<ConflictRecord, 'fingerprint' | 'serviceId' | 'field' | 'design' | 'definitions'>,
): string {
  return (
    record.fingerprint ??
    conflictFingerprint(record.serviceId, record.field, record.design, record.definitions)
  );
}

/** What a recorded sync changed that people hear about (shared/notifications). */
export interface CommitResult {
  /** Conflicts opened (or reopened) for a decision by this run. */
  opened: ConflictRecord[];
  /** The link as it was before this run (its drift summary, to tell whether drift grew). */
  linkBefore: Link;
  /** For the meter: the kind of each conflict recorded, and how each one settled was settled. */
  kinds: ConflictChanges;
}

/**
 * Records a sync in one transaction: the link's new positions and status, the base snapshot, the
 * operation, new conflicts (one document per distinct disagreement) and drift. The precondition on
 * the link's version means two workers on one link cannot both record a result.
 */
export async function commitState(state: StateStore, commit: StateCommit): Promise<CommitResult> {
  return state.runTransaction(async (tx) => {
    // Counted afresh by each try of the transaction: only the try that commits is returned.
    const opened: ConflictRecord[] = [];
    const changes: ConflictChanges = { opened: [], settled: [] };
    const link = await tx.get<Link>(COLLECTIONS.links, commit.linkId);
    if (!link) throw new AppError('not_found', `Link ${commit.linkId} was deleted during the sync`);
    if (link.version !== commit.linkVersion) {
      throw new AppError('conflict', 'Another sync of this link finished first; retrying');
    }
    const existing = await Promise.all(
      commit.conflicts.map((c) =>
        tx.get<ConflictRecord & { applied?: boolean }>(
          COLLECTIONS.conflicts,
          conflictId(commit.linkId, c.fingerprint),
        ),
      ),
    );
    const applied = await Promise.all(
      commit.appliedConflictIds.map((id) =>
        tx.get<ConflictRecord & { applied?: boolean }>(COLLECTIONS.conflicts, id),
      ),
    );
    const superseded = await Promise.all(
      commit.supersededConflictIds.map((id) => tx.get<ConflictRecord>(COLLECTIONS.conflicts, id)),
    );
    // Firestore transactions need every read before the first write.
    let openConflicts = link.data.openConflicts ?? 0;
    commit.conflicts.forEach((c, i) => {
      const previous = existing[i];
      const issueUrl = commit.issues.get(c.fingerprint);
      const open = c.resolution === 'open' || c.needsReview;
      const reopened = previous?.data.state === 'settled' && previous.data.applied === true && open;
      if (previous && !reopened) {
        if (issueUrl && !previous.data.issueUrl)
          tx.set(COLLECTIONS.conflicts, previous.id, { ...previous.data, issueUrl });
        return;
      }
      // New, or the same disagreement back after someone settled it: (re)open it for a decision.
      if (open) openConflicts += 1;
      changes.opened.push(c.kind);
      if (!open) changes.settled.push(c.resolution);
      const record: ConflictRecord = {
        id: conflictId(commit.linkId, c.fingerprint),
        linkId: commit.linkId,
        fingerprint: c.fingerprint,
        tenant: link.data.tenant,
        operationId: commit.operation.id,
        state: open ? 'open' : 'settled',
        serviceId: c.serviceId,
        field: c.field,
        kind: c.kind,
        base: c.base ?? null,
        design: c.design ?? null,
        definitions: c.definitions ?? null,
        resolution: c.resolution,
        ...(c.value !== undefined ? { value: c.value } : {}),
        ...(issueUrl ? { issueUrl } : {}),
        createdAt: commit.now,
        ...(open ? {} : { settledAt: commit.now }),
      };
      if (reopened) tx.set(COLLECTIONS.conflicts, record.id, record);
      else tx.create(COLLECTIONS.conflicts, record.id, record);
      if (open) opened.push(record);
    });
    for (const doc of superseded) {
      if (doc?.data.state !== 'open') continue;
      tx.set(COLLECTIONS.conflicts, doc.id, {
        ...doc.data,
        state: 'settled',
        resolution: 'superseded',
        settledAt: commit.now,
      });
      changes.settled.push('superseded');
      openConflicts = Math.max(0, openConflicts - 1);
    }
    for (const doc of applied) {
      if (!doc || doc.data.applied) continue;
      tx.set(COLLECTIONS.conflicts, doc.id, { ...doc.data, applied: true });
      openConflicts = Math.max(0, openConflicts - 1);
    }
    const nextLink = { ...link.data, ...commit.link, openConflicts, updatedAt: commit.now };
    if (openConflicts > 0 && nextLink.status === 'synced') nextLink.status = 'conflict';
    tx.update(COLLECTIONS.links, commit.linkId, clean(nextLink), { ifVersion: link.version });
    if (commit.base) {
      tx.set(
        COLLECTIONS.bases,
        commit.linkId,
        clean({ linkId: commit.linkId, ...commit.base, updatedAt: commit.now }),
      );
    }
    tx.set(COLLECTIONS.operations, commit.operation.id, clean(commit.operation));
    if (commit.drift) {
      tx.set(
        COLLECTIONS.drift,
        commit.linkId,
        clean({ linkId: commit.linkId, ...commit.drift, computedAt: commit.now }),
      );
    }
    return { opened, linkBefore: link.data, kinds: changes };
  });
}

/** Conflicts a committed sync opened (by kind) and settled (by policy: the resolution it took). */
export interface ConflictChanges {
  opened: string[];
  settled: string[];
}

/** JSON round trip: drops undefined values, which document stores refuse. */
function clean<T>(value: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
