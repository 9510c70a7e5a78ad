import type { ActivityDependencies } from './dependencies';

/** Activities of the intune steps. */
export function createIntuneActivities(deps: ActivityDependencies) {
  void deps;
  return {};
}
