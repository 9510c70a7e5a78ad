import type { z } from 'zod';
import { runStepActivity } from '../activities/bridge/activity-step';
import type { PowerShellPool } from '../activities/bridge/pool';
import { echoStep as echoContract } from '../activities/steps/echo';

export type EchoInput = z.input<typeof echoContract.input>;

/** A no-op activity and one cloudtrust step through the real activity path, on the given pool. */
export function overheadActivities(pool: PowerShellPool) {
  return {
    async noop(): Promise<void> {},
    async echoStep(input: EchoInput) {
      return runStepActivity(pool, echoContract, input);
    },
  };
}

export type OverheadActivities = ReturnType<typeof overheadActivities>;
