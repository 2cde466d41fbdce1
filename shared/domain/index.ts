export {
  type AccessNeed,
  type AccessVerdict,
  type AccountFacts,
  decideGithubAccess,
  decideLocalAccess,
  type GithubAccessFacts,
  GRANT_KINDS,
  type GrantKind,
  normalizeGrantValue,
  pathWithin,
} from './access-rules.ts';
export {
  type AiTokenPrice,
  type AiTokenPrices,
  type AiTokenUsage,
  costPicoUsd,
  picoPerToken,
  priceAt,
} from './ai-cost.ts';
export {
  aiDailyRequests,
  aiHourlyTokens,
  bestAiTier,
  decideQuota,
  quotaPeriods,
  thresholdsCrossed,
  USAGE_ALERT_THRESHOLDS,
} from './ai-quota.ts';
export { type AiRoutingPolicy, parseWeights, routeCandidates } from './ai-routing.ts';
export { type ScrubKind, scrubText } from './ai-scrub.ts';
export {
  limitUse,
  MAX_USAGE_GROUPS,
  OTHER_GROUP,
  picoToUsd,
  summarizeAiUsage,
  usageDays,
  usdToPico,
} from './ai-usage.ts';
export {
  type ProposedService,
  plainText,
  proposeDefinitions,
  wantsBootstrapFile,
} from './bootstrap-proposal.ts';
export {
  type ArchitectureDiff,
  EMPTY_SIDE_DIFF,
  isEmptyDiff,
  sideDiff,
  versionBump,
} from './change-diff.ts';
export {
  bumpMeaning,
  changeSummaryFingerprint,
  summarizeChanges,
  summaryData,
} from './change-summary.ts';
export {
  CONFLICT_KINDS,
  conflictFingerprint,
  type MergeConflict,
} from './conflicts.ts';
export { deepEqual } from './deep-equal.ts';
export {
  definitionPath,
  parseDefinitionFile,
  renderDefinitionFile,
} from './definition-yaml.ts';
export { planDefinitionChanges, readDefinitions } from './definitions-side.ts';
export {
  DesignExport,
  parseDesignText,
  parseDesignValue,
} from './design-export.ts';
export { renderDesignText, servicesToDesignExport } from './design-mapping.ts';
export {
  DRIFT_KINDS,
  type DriftFinding,
  type DriftReport,
  detectDrift,
  implementedServices,
} from './drift.ts';
export {
  combineVerdicts,
  type DriveAccessFacts,
  decideDriveAccess,
  needsDriveParents,
} from './drive-access-rules.ts';
export { exampleDesignExport, exampleImplementationFiles, exampleServices } from './example-architecture.ts';
export {
  applyFileChanges,
  type FileChange,
  mergeFileChanges,
  type SourceFile,
} from './files.ts';
export {
  checkSyncSafety,
  type SafetyVerdict,
} from './guards.ts';
export {
  assessHealth,
  channelCheck,
  deadLetterCheck,
  HEALTH_CHECKS,
  HEALTH_STATUSES,
  type HealthChangeKind,
  type HealthCheck,
  type HealthCheckName,
  type HealthStatus,
  healthChange,
  latencyCheck,
  rateLimitCheck,
  webhookCheck,
} from './integration-health.ts';
export { measureJson } from './json-size.ts';
export { escapeMarkdownText, plainParagraph } from './markdown-text.ts';
export {
  githubComment,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_TRIGGERS,
  type NotificationEvent,
  signBody,
  slackMessage,
  webhookBody,
} from './notification-events.ts';
export { parseService } from './parse-service.ts';
export { DEFAULT_POLICY, LinkPolicy, type LinkPolicyInput } from './policy.ts';
export { type IngestionResult, ingestRawFiles } from './raw-ingestion.ts';
export { normalizeRepoPath } from './repo-path.ts';
export {
  applyResolutions,
  type ConflictResolution,
  RESOLVE_TAKES,
  type ResolveTake,
  resolveConflict,
} from './resolve-conflict.ts';
export {
  findUnsafeStructure,
  MAX_DEFINITION_BYTES,
  MAX_SNAPSHOT_BYTES,
  MAX_TEXT_BYTES,
} from './safe-input.ts';
export { ServiceDefinition } from './service-schema.ts';
export { slugify } from './slugify.ts';
export {
  type ConflictFacts,
  checkProposal,
  type PolicySuggestion,
  policySuggestion,
  proposalTake,
  type ResolutionProposal,
  SUGGESTION_CHOICES,
} from './suggest-resolution.ts';
export {
  percentile,
  type RunSample,
  summarizeRuns,
} from './sync-stats.ts';
export { detectFromManifest } from './tech-detect.ts';
export { ADMIN_TENANT, RESERVED_TENANT_RULE } from './tenants.ts';
export {
  diffServices,
  mergeArchitectures,
  type SideChanges,
} from './three-way-merge.ts';
