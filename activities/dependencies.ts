import type { PowerShellPool } from './bridge/pool';
import type { SecretStore } from './secrets';

/** What activities need from the worker: the PowerShell pool and the secret store. */
export interface ActivityDependencies {
  pool: PowerShellPool;
  secrets: SecretStore;
}
