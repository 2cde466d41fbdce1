export {
  type AccessNeed,
  type AccessVerdict,
  type AccountFacts,
  decideGithubAccess,
  decideLocalAccess,
  type GithubAccessFacts,
  GRANT_KINDS,
  type GrantKind,
  type LocalAccessFacts,
  normalizeGrantValue,
  pathWithin,
} from './access-rules.ts';
export {
  CONFLICT_KINDS,
  CONFLICT_RESOLUTIONS,
  type ConflictKind,
  type ConflictResolutionKind,
  conflictFingerprint,
  type MergeConflict,
  stableStringify,
} from './conflicts.ts';
export { deepEqual, sameValue } from './deep-equal.ts';
export {
  DEFINITIONS_DIR,
  definitionFileId,
  definitionPath,
  type ParsedDefinition,
  parseDefinitionFile,
  parseYamlValue,
  renderDefinitionFile,
} from './definition-yaml.ts';
export { type DefinitionsRead, planDefinitionChanges, readDefinitions } from './definitions-side.ts';
export {
  type ComponentIssue,
  DEFAULT_EXPORT_HEADER,
  DesignExport,
  designToServices,
  type ParsedDesign,
  parseDesignText,
  parseDesignValue,
} from './design-export.ts';
export { renderDesignText, servicesToDesignExport } from './design-mapping.ts';
export {
  DRIFT_KINDS,
  type DriftFinding,
  type DriftKind,
  type DriftReport,
  detectDrift,
  type ImplementedService,
  implementedServices,
} from './drift.ts';
export {
  combineVerdicts,
  type DriveAccessFacts,
  decideDriveAccess,
  needsDriveParents,
} from './drive-access-rules.ts';
export { exampleDesignExport, exampleImplementationFiles, exampleServices } from './example-architecture.ts';
export { DESIGN_SPELLING, FIELD_SPELLINGS, KNOWN_FIELDS, type KnownField } from './field-names.ts';
export {
  applyFileChanges,
  type FileChange,
  type FileIssue,
  mergeFileChanges,
  type SourceFile,
} from './files.ts';
export {
  checkSyncSafety,
  GUARD_CODES,
  type GuardCode,
  type GuardFinding,
  guardDeletions,
  guardEmptySides,
  type SafetyInput,
  type SafetyVerdict,
} from './guards.ts';
export { type JsonSize, measureJson } from './json-size.ts';
export { type FieldIssue, formatIssues, type ParseServiceResult, parseService } from './parse-service.ts';
export { DEFAULT_POLICY, LinkPolicy, type LinkPolicyInput } from './policy.ts';
export { type IngestionResult, ingestRawFiles, isRawPath, RAW_DIR, readRawFile } from './raw-ingestion.ts';
export { MAX_REPO_PATH_LENGTH, normalizeRepoPath, type RepoPathResult } from './repo-path.ts';
export {
  applyResolutions,
  type ConflictResolution,
  RESOLVE_TAKES,
  type ResolveTake,
  resolveConflict,
} from './resolve-conflict.ts';
export {
  FORBIDDEN_KEYS,
  findUnsafeStructure,
  MAX_DEFINITION_BYTES,
  MAX_DEPTH,
  MAX_SNAPSHOT_BYTES,
  MAX_TEXT_BYTES,
} from './safe-input.ts';
export { SERVICE_STATUSES, ServiceDefinition, ServiceId, type ServiceStatus } from './service-schema.ts';
export { SERVICE_ID_PATTERN, slugify } from './slugify.ts';
export {
  DETECTABLE,
  detectFromManifest,
  MANIFEST_NAMES,
  type ManifestFacts,
  techKey,
} from './tech-detect.ts';
export { ADMIN_TENANT, RESERVED_TENANT_RULE } from './tenants.ts';
export {
  diffServices,
  hasChanges,
  type MergeInput,
  type MergeResult,
  mergeArchitectures,
  type SideChanges,
} from './three-way-merge.ts';
