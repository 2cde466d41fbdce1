import { readdirSync } from 'node:fs';
import { loadConfig, SETTINGS } from '../../../shared/config/index.ts';
import { COLLECTIONS, TTL_COLLECTIONS } from '../../../shared/links/index.ts';
import { SECRETS, TOPICS } from '../../../shared/ports/index.ts';
import { SCHEDULER_JOBS } from '../../../shared/scheduler/scheduler.ts';
import { checkEnvironment, checkFunctions } from './check-functions.ts';
import { checkPushSubscriptions, checkTopics } from './check-messaging.ts';
import { checkReferences } from './check-references.ts';
import {
  checkDocumentation,
  checkIndexes,
  checkSchedulerJobs,
  checkSecrets,
  checkTtl,
} from './check-state.ts';
import { parseTerraform } from './terraform-model.ts';

/** Which function receives each topic's push deliveries (as shared/server/function-handlers.ts wires them). */
export const PUSH_TARGETS: Record<string, string> = {
  [TOPICS.githubEvents]: 'sync-worker',
  [TOPICS.driveChanges]: 'sync-worker',
  [TOPICS.syncRequests]: 'sync-worker',
  [TOPICS.secretRotation]: 'scheduler',
  [TOPICS.schedulerJobs]: 'scheduler',
};

export function functionFolders(functionsDir: string): string[] {
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export type CheckName =
  | 'references'
  | 'functions'
  | 'environment'
  | 'topics'
  | 'push'
  | 'ttl'
  | 'indexes'
  | 'secrets'
  | 'scheduler'
  | 'documentation';

/** Every offline check of the Terraform module against the code's facts, problems per check. */
export async function checkTerraform(
  sources: Record<string, string>,
  folders: string[],
): Promise<Record<CheckName, string[]>> {
  const model = await parseTerraform(sources);
  return {
    references: await checkReferences(model),
    functions: checkFunctions(model, folders),
    environment: checkEnvironment(model, SETTINGS, loadConfig),
    topics: checkTopics(model, Object.values(TOPICS)),
    push: checkPushSubscriptions(model, PUSH_TARGETS),
    ttl: checkTtl(model, TTL_COLLECTIONS),
    indexes: checkIndexes(model, Object.values(COLLECTIONS)),
    secrets: checkSecrets(model, Object.values(SECRETS)),
    scheduler: checkSchedulerJobs(model, SCHEDULER_JOBS),
    documentation: checkDocumentation(model),
  };
}
