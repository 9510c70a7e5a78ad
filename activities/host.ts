import type { ActivityDependencies } from './dependencies';

/** Activities of the host steps. */
export function createHostActivities(deps: ActivityDependencies) {
  void deps;
  return {};
}
