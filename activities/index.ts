import type { z } from 'zod';
import { runStepActivity } from './bridge/activity-step';
import type { PowerShellPool } from './bridge/pool';
import type { StepOutcome } from './bridge/run-step';
import { domainInventoryStep } from './steps/domain-inventory';

export type DomainInventory = z.infer<typeof domainInventoryStep.output>;

/** The activities a worker registers; each is one idempotent step run through the PowerShell pool. */
export function createActivities(pool: PowerShellPool) {
  return {
    async inventoryDomain(input: { domain: string }): Promise<StepOutcome<DomainInventory>> {
      return runStepActivity(pool, domainInventoryStep, input);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
