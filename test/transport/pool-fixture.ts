import { resolveExecutable } from '../../activities/bridge/executable';
import { PowerShellPool } from '../../activities/bridge/pool';
import { allSteps } from '../../activities/steps';
import { hostScripts, type StepContract } from '../../activities/steps/contract';
import { echoStep } from '../../activities/steps/echo';
import { waitFor as poll } from '../support/wait';
import { fixtures } from './fixture-steps';

/** The scripts the transport tests allow: the echo step and every fixture. */
export const transportScripts = () => hostScripts([echoStep, ...Object.values(fixtures)]);

/** Real PowerShell 7 (CLOUDTRUST_POWERSHELL=pwsh) running the transport fixtures. */
export function pwshPool(size = 1, env: NodeJS.ProcessEnv = process.env): PowerShellPool {
  return new PowerShellPool({ executable: resolveExecutable({ ...env, CLOUDTRUST_POWERSHELL: 'pwsh' }), scripts: transportScripts(), size, startTimeoutMs: 60_000 });
}

/** PowerShell 7 against the lab estate (`CLOUDTRUST_LAB_ESTATE` in `env`), allowing `steps`: by default the reviewed scripts. */
export function labPool(size = 1, env: NodeJS.ProcessEnv = process.env, steps: readonly StepContract[] = allSteps): PowerShellPool {
  return new PowerShellPool({ executable: resolveExecutable({ ...env, CLOUDTRUST_POWERSHELL: 'lab' }), scripts: hostScripts([...steps]), size, startTimeoutMs: 60_000 });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Until `predicate` holds, polled every 25 ms. */
export function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  return poll(predicate, { timeoutMs, intervalMs: 25 });
}
