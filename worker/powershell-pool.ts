import { z } from 'zod';
import { resolveExecutable } from '../activities/bridge/executable';
import { PowerShellPool } from '../activities/bridge/pool';
import { allSteps } from '../activities/steps';
import { hostScripts, warmUpImports } from '../activities/steps/contract';

const poolSettings = z.object({
  CLOUDTRUST_POOL_SIZE: z.coerce.number().int().min(1).max(64).default(2),
  CLOUDTRUST_POOL_RECYCLE_AFTER: z.coerce.number().int().min(1).default(500),
});

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
    size: parsed.data.CLOUDTRUST_POOL_SIZE,
    recycleAfterCalls: parsed.data.CLOUDTRUST_POOL_RECYCLE_AFTER,
  });
}
