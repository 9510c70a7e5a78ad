import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';

const STEP_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 6 },
};

/** The step activities, run on the task queue of the workers that can reach the domain's DCs. */
export function stepActivities(taskQueue: string) {
  return proxyActivities<Activities>({ ...STEP_OPTIONS, taskQueue });
}
