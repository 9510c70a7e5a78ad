import type { z } from 'zod';
import { runStepActivity } from './bridge/activity-step';
import type { StepOutcome } from './bridge/run-step';
import type { ActivityDependencies } from './dependencies';
import type { StepContract } from './steps/contract';

/**
 * An activity for a step whose input carries no credentials: the workflow's input goes to the script as it is.
 * Steps that need credentials take secret references in their activity input and resolve them with deps.secrets.
 */
export function stepActivity<I extends z.ZodType, O extends z.ZodType>(deps: ActivityDependencies, contract: StepContract<I, O>) {
  return (input: z.input<I>): Promise<StepOutcome<z.infer<O>>> => runStepActivity(deps.pool, contract, input);
}
