import {
  type ArchitectureDiff,
  applyFileChanges,
  type ConflictResolution,
  checkSyncSafety,
  type DesignExport,
  type DriftReport,
  detectDrift,
  diffServices,
  EMPTY_SIDE_DIFF,
  type FileChange,
  type IngestionResult,
  ingestRawFiles,
  type LinkPolicy,
  type MergeConflict,
  mergeArchitectures,
  mergeFileChanges,
  parseDesignText,
  planDefinitionChanges,
  readDefinitions,
  renderDesignText,
  type SafetyVerdict,
  type ServiceDefinition,
  type SideChanges,
  type SourceFile,
  servicesToDesignExport,
  sideDiff,
} from '../domain/index.ts';
import type { SyncDirection } from '../records/index.ts';
import { agreedBase } from './agree.ts';

export interface PlanInput {
  base: readonly ServiceDefinition[];
  /** Files under architecture/ on the link's branch. */
  architectureFiles: readonly SourceFile[];
  /** Manifests under services/<name>/, for drift. */
  manifests: readonly SourceFile[];
  designText: string;
  policy: LinkPolicy;
  direction: SyncDirection;
  /** Settled conflicts not applied yet: written to both sides by this run. */
  resolutions: readonly ConflictResolution[];
  confirmDeletions?: boolean;
}

export interface SyncPlan {
  verdict: SafetyVerdict;
  ingestion: IngestionResult;
  conflicts: MergeConflict[];
  /** Changes to commit to the repository (raw ingestion + definitions), empty when none. */
  repoChanges: FileChange[];
  /** New design text, or undefined when the design stays as it is. */
  designText?: string;
  changes: { design: SideChanges; definitions: SideChanges };
  /** The same changes with what each one is (versions, layers, dependencies): what summaries are written from. */
  diff: ArchitectureDiff;
  /** Drift between the sides as read and the implementation: what holds when this run writes nothing. */
  drift: DriftReport;
  /**
   * Drift once this run's writes have landed: `direct` when the repository changes are on the branch,
   * `pending` when they wait in a pull request (the definitions stay as read until it is merged).
   */
  driftAfter: { direct: DriftReport; pending: DriftReport };
  /** The design export after the sync (kept as the base's export for lossless re-rendering). */
  designExport?: DesignExport;
  /** Base to store if the repository changes land on the branch itself (direct writes). */
  baseIfDirect: ServiceDefinition[];
  /** Base to store if the repository changes wait in a pull request. */
  baseIfPending: ServiceDefinition[];
}

const NO_CHANGES: SideChanges = { added: [], updated: [], removed: [], fields: {} };

/**
 * Decides what one sync writes, without doing any I/O: raw ingestion, the three-way merge (with
 * settled conflicts applied to both sides first), the safety guards, the file changes and the new
 * design text, and drift against the implementation.
 */
export function planSync(input: PlanInput): SyncPlan {
  const ingestion = ingestRawFiles(input.architectureFiles);
  const filesAfterIngestion = applyFileChanges(input.architectureFiles, ingestion.changes);
  const definitionsRead = readDefinitions(filesAfterIngestion);
  const design = parseDesignText(input.designText);

  const definitions = definitionsRead.services;
  const designServices = design.ok ? design.services : [];
  // Settled conflicts are applied by the merge itself, so they show up as changes to write.
  const merge = design.ok
    ? mergeArchitectures({
        base: input.base,
        design: designServices,
        definitions,
        policy: input.policy,
        resolutions: input.resolutions,
      })
    : undefined;

  // A service whose fate a person decided (a whole-service resolution) is no accidental deletion.
  const decided = input.resolutions.filter((r) => r.field === null).map((r) => r.serviceId);
  const verdict = checkSyncSafety({
    decided,
    base: input.base,
    design: design.ok ? { ok: true, services: design.services } : { ok: false, reason: design.reason },
    definitions: definitionsRead.services,
    invalidDefinitions: definitionsRead.invalid,
    ...(merge ? { merge } : {}),
    policy: input.policy,
    confirmDeletions: input.confirmDeletions ?? false,
  });
  const drift = detectDrift({ design: designServices, definitions, manifests: input.manifests });
  const empty: SyncPlan = {
    verdict,
    ingestion,
    conflicts: merge?.conflicts ?? [],
    repoChanges: [],
    changes: merge?.changes ?? { design: NO_CHANGES, definitions: NO_CHANGES },
    diff: { definitions: EMPTY_SIDE_DIFF, design: EMPTY_SIDE_DIFF },
    drift,
    driftAfter: { direct: drift, pending: drift },
    baseIfDirect: [...input.base],
    baseIfPending: [...input.base],
  };
  if (!merge || !design.ok) return empty;

  const writeDefinitions = input.direction !== 'definitions-to-design';
  const writeDesign = input.direction !== 'design-to-definitions';
  // A one-way run leaves the other side as it is; the base then keeps what the sides still disagree on.
  const definitionsAfter = writeDefinitions ? merge.definitions : definitionsRead.services;
  const designAfter = writeDesign ? merge.design : design.services;

  const repoChanges = writeDefinitions
    ? mergeFileChanges(ingestion.changes, planDefinitionChanges(filesAfterIngestion, merge.definitions))
    : [];
  const designChanges = writeDesign ? merge.changes.design : NO_CHANGES;
  const definitionChanges = writeDefinitions ? merge.changes.definitions : NO_CHANGES;
  const designChanged = writeDesign && diffIsNonEmpty(diffServices(design.services, merge.design));
  const designExport = servicesToDesignExport(designAfter, design.export);
  const definitionsOnBranch = readDefinitions(input.architectureFiles).services;
  const driftWith = (defs: readonly ServiceDefinition[]) =>
    detectDrift({ design: designAfter, definitions: defs, manifests: input.manifests });
  return {
    ...empty,
    repoChanges,
    ...(designChanged ? { designText: renderDesignText(designExport, input.designText) } : {}),
    changes: { design: designChanges, definitions: definitionChanges },
    diff: {
      definitions: sideDiff(definitions, merge.definitions, definitionChanges),
      design: sideDiff(design.services, merge.design, designChanges),
    },
    designExport,
    driftAfter: { direct: driftWith(definitionsAfter), pending: driftWith(definitionsOnBranch) },
    baseIfDirect: agreedBase(input.base, designAfter, definitionsAfter),
    baseIfPending: agreedBase(input.base, designAfter, definitionsOnBranch),
  };
}

/** Drift of the sides as they are (a run with nothing to write still shows the implementation's state). */
export function driftOfSides(
  input: Pick<PlanInput, 'architectureFiles' | 'manifests' | 'designText'>,
): DriftReport {
  const design = parseDesignText(input.designText);
  return detectDrift({
    design: design.ok ? design.services : [],
    definitions: readDefinitions(input.architectureFiles).services,
    manifests: input.manifests,
  });
}

function diffIsNonEmpty(changes: SideChanges): boolean {
  return changes.added.length + changes.updated.length + changes.removed.length > 0;
}
