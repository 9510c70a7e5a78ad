import type { ActivityDependencies } from './dependencies';

/** Activities of the kerberos steps. */
export function createKerberosActivities(deps: ActivityDependencies) {
  void deps;
  return {};
}
