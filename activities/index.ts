import type { z } from 'zod';
import { runStepActivity } from './bridge/activity-step';
import type { StepOutcome } from './bridge/run-step';
import type { ActivityDependencies } from './dependencies';
import { createGpoActivities } from './gpo';
import { createHostActivities } from './host';
import { createIntuneActivities } from './intune';
import { createKerberosActivities } from './kerberos';
import { createUserReadinessActivities } from './user-readiness';
import { domainInventoryStep } from './steps/domain-inventory';

export type DomainInventory = z.infer<typeof domainInventoryStep.output>;

/** The activities a worker registers; each is one idempotent step run through the PowerShell pool. */
export function createActivities(deps: ActivityDependencies) {
  return {
    async inventoryDomain(input: { domain: string }): Promise<StepOutcome<DomainInventory>> {
      return runStepActivity(deps.pool, domainInventoryStep, input);
    },
    ...createHostActivities(deps),
    ...createKerberosActivities(deps),
    ...createGpoActivities(deps),
    ...createIntuneActivities(deps),
    ...createUserReadinessActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
