import { readdirSync } from 'node:fs';
import { loadConfig, SETTINGS } from '../../../shared/config/index.ts';
import { SECRETS } from '../../../shared/ports/index.ts';
import { COLLECTIONS, TTL_COLLECTIONS } from '../../../shared/records/index.ts';
import { SCHEDULER_JOBS } from '../../../shared/scheduler/scheduler.ts';
import { terraformTopology } from '../../../shared/topology/index.ts';
import { checkEnvironment, checkFunctions } from './check-functions.ts';
import { checkSubscriptions, checkTopics } from './check-messaging.ts';
import { checkReferences } from './check-references.ts';
import {
  checkDocumentation,
  checkIndexes,
  checkSchedulerJobs,
  checkSecrets,
  checkTtl,
} from './check-state.ts';
import { checkAddresses, checkTopologyFunctions } from './check-topology.ts';
import { parseTerraform } from './terraform-model.ts';

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
  | 'topology'
  | 'addresses'
  | 'ttl'
  | 'indexes'
  | 'secrets'
  | 'scheduler'
  | 'documentation';

/**
 * Every offline check of the Terraform module against the code's facts, problems per check. Topics,
 * subscriptions and functions are checked against shared/topology itself, not the JSON file
 * Terraform reads, so a stale terraform/topology.json fails too.
 */
export async function checkTerraform(
  sources: Record<string, string>,
  folders: string[],
): Promise<Record<CheckName, string[]>> {
  const model = await parseTerraform(sources);
  const topology = terraformTopology();
  return {
    references: await checkReferences(model),
    functions: checkFunctions(model, folders),
    environment: checkEnvironment(model, SETTINGS, loadConfig),
    topics: checkTopics(model, topology),
    push: checkSubscriptions(model, topology),
    topology: checkTopologyFunctions(model, topology),
    addresses: checkAddresses(model, Object.keys(topology.functions)),
    ttl: checkTtl(model, TTL_COLLECTIONS),
    indexes: checkIndexes(model, Object.values(COLLECTIONS)),
    secrets: checkSecrets(model, Object.values(SECRETS)),
    scheduler: checkSchedulerJobs(model, SCHEDULER_JOBS),
    documentation: checkDocumentation(model),
  };
}
