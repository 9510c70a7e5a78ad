import { patched, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { LEGACY_ACTIVITY_NAMES } from '../model/activity-names';

const STEP_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 6 },
};

/** The patch under which workflows schedule each step's activity by the step's name. */
export const ONE_NAME_PER_STEP = 'one-name-per-step';

const LEGACY_NAME_OF: Record<string, string> = Object.fromEntries(Object.entries(LEGACY_ACTIVITY_NAMES).map(([old, current]) => [current, old]));

/**
 * The step activities with these options, by their names. Runs started before one name per step scheduled the
 * same activities under their old type names: while replaying those, the old name is scheduled. patched() is
 * asked when an activity is called, in workflow code, never when the proxy is made.
 */
export function namedActivities(options: ActivityOptions): Activities {
  const proxy = proxyActivities<Record<string, Activities[keyof Activities]>>(options);
  return new Proxy({} as Activities, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      return proxy[patched(ONE_NAME_PER_STEP) ? name : (LEGACY_NAME_OF[name] ?? name)];
    },
  });
}

/** The step activities, run on the task queue of the workers that can reach the domain's DCs. */
export function stepActivities(taskQueue: string): Activities {
  return namedActivities({ ...STEP_OPTIONS, taskQueue });
}
