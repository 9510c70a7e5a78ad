import type { z } from 'zod';
import { runStepActivity } from './bridge/activity-step';
import type { StepOutcome } from './bridge/run-step';
import type { ActivityDependencies } from './dependencies';
import { createGpoActivities } from './gpo';
import { createHostActivities } from './host';
import { createIntuneActivities } from './intune';
import { createKerberosActivities } from './kerberos';
import { legacyAliases } from './legacy-names';
import { createUserReadinessActivities } from './user-readiness';
import { domainInventoryStep } from './steps/domain-inventory';

export type DomainInventory = z.infer<typeof domainInventoryStep.output>;

/** One activity per step, named camel(contract id): each is one idempotent step run through the PowerShell pool. */
export function createStepActivities(deps: ActivityDependencies) {
  return {
    async domainReadInventory(input: { domain: string }): Promise<StepOutcome<DomainInventory>> {
      return runStepActivity(deps.pool, domainInventoryStep, input);
    },
    ...createHostActivities(deps),
    ...createKerberosActivities(deps),
    ...createGpoActivities(deps),
    ...createIntuneActivities(deps),
    ...createUserReadinessActivities(deps),
  };
}

/** What workflows schedule: the step activities by their names. */
export type Activities = ReturnType<typeof createStepActivities>;

/** The activities a worker registers: every step's, and the same functions under their names from before (model/activity-names.ts). */
export function createActivities(deps: ActivityDependencies) {
  const activities = createStepActivities(deps);
  return { ...activities, ...legacyAliases(activities) };
}
