import { z } from 'zod';
import { resolveExecutable } from '../../activities/bridge/executable';
import { PowerShellPool } from '../../activities/bridge/pool';
import { allSteps } from '../../activities/steps';
import { defineStep, hostScripts, type StepContract } from '../../activities/steps/contract';
import { waitFor as poll } from '../support/wait';

/** Contracts for the lab host's transport fixtures (lab/host/handlers/fixtures.ts). */
function fixture<O extends z.ZodType>(id: string, output: O, input: z.ZodType = z.object({}).passthrough()): StepContract<z.ZodType, O> {
  return defineStep({ id, script: '../test/transport/fixtures/Fixture.ps1', description: id, input, output, timeoutMs: 10_000 });
}

export const fixtures = {
  hang: fixture('fixture.hang', z.unknown()),
  slow: fixture('fixture.slow', z.object({ sleptMs: z.number(), pid: z.number() })),
  pid: fixture('fixture.pid', z.object({ pid: z.number() })),
  noise: fixture('fixture.noise', z.object({ survived: z.string() })),
  stderr: fixture('fixture.stderr', z.object({ survived: z.string() })),
  big: fixture('fixture.big', z.object({ blob: z.string() })),
  dieNow: fixture('fixture.die-now', z.unknown()),
  exitAfterReply: fixture('fixture.exit-after-reply', z.object({ pid: z.number() })),
  fail: fixture('fixture.fail', z.unknown()),
  malformed: fixture('fixture.malformed', z.object({ expected: z.string() })),
};

export function labPool(size = 1, env: NodeJS.ProcessEnv = process.env): PowerShellPool {
  return new PowerShellPool({
    executable: resolveExecutable({ ...env, CLOUDTRUST_POWERSHELL: 'lab', CLOUDTRUST_LAB_FIXTURES: '1' }),
    scripts: hostScripts([...allSteps, ...Object.values(fixtures)]),
    size,
  });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Until `predicate` holds, polled every 25 ms: what the transport tests wait for takes milliseconds. */
export function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  return poll(predicate, { timeoutMs, intervalMs: 25 });
}
