import { runStepActivity } from './bridge/activity-step';
import type { ActivityDependencies } from './dependencies';
import { stepActivity } from './step-activity';
import { ensureHostModuleStep, forestInventoryStep, hostModuleStep } from './steps/host';

export interface InventoryForestInput {
  forest: string;
  /** A DC or domain of the forest to ask; absent = the forest name. */
  server?: string;
  /** Secret name of the AD account to query with; absent = the worker's Windows logon. */
  domainCredentialRef?: string;
}

/** Activities of the host steps: the management host's module, and forest discovery. */
export function createHostActivities(deps: ActivityDependencies) {
  return {
    hostReadModule: stepActivity(deps, hostModuleStep),
    hostEnsureModule: stepActivity(deps, ensureHostModuleStep),
    async forestReadInventory(input: InventoryForestInput) {
      const domainCredential = input.domainCredentialRef ? await deps.secrets.credential(input.domainCredentialRef) : undefined;
      return runStepActivity(deps.pool, forestInventoryStep, { forest: input.forest, server: input.server, domainCredential });
    },
  };
}
