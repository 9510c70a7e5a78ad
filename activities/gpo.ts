import type { ActivityDependencies } from './dependencies';

/** Activities of the gpo steps. */
export function createGpoActivities(deps: ActivityDependencies) {
  void deps;
  return {};
}
