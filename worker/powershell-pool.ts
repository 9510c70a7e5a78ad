import { z } from 'zod';
import { resolveExecutable } from '../activities/bridge/executable';
import { PowerShellPool } from '../activities/bridge/pool';
import { allSteps } from '../activities/steps';
import { hostScripts, warmUpImports } from '../activities/steps/contract';
import { createLogger } from './log';

const poolSettings = z.object({
  CLOUDTRUST_POOL_SIZE: z.coerce.number().int().min(1).max(64).default(2),
  CLOUDTRUST_POOL_RECYCLE_AFTER: z.coerce.number().int().min(1).default(500),
});

const log = createLogger('powershell-pool');

/** The worker's warm PowerShell pool, configured from the environment (see README). */
export function createPowerShellPool(env: NodeJS.ProcessEnv = process.env): PowerShellPool {
  const parsed = poolSettings.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${String(issue.path[0])}: ${issue.message}`);
  }
  return new PowerShellPool({
    executable: resolveExecutable(env),
    scripts: hostScripts(allSteps),
    imports: warmUpImports(allSteps),
    // Importing the Graph SDK's sub-modules is reported to take minutes on Windows PowerShell 5.1
    // (msgraph-sdk-powershell#688, #2479): a start that imports them gets that long.
    startTimeoutMs: warmUpImports(allSteps).length > 0 ? 600_000 : undefined,
    size: parsed.data.CLOUDTRUST_POOL_SIZE,
    recycleAfterCalls: parsed.data.CLOUDTRUST_POOL_RECYCLE_AFTER,
    onStartWarnings: (pid, warnings) => log.warn('a PowerShell process started with warnings', { pid, warnings: [...warnings] }),
  });
}
