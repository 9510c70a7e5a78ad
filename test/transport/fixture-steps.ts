import { z } from 'zod';
import { defineStep, type StepContract } from '../../activities/steps/contract';

/** Step contracts for the misbehaving scripts in test/transport/fixtures (one script per behaviour). */
function fixture<I extends z.ZodType, O extends z.ZodType>(id: string, file: string, input: I, output: O): StepContract<I, O> {
  return defineStep({ id: `fixture.${id}`, script: `../test/transport/fixtures/${file}`, description: `transport fixture ${file}`, input, output, timeoutMs: 30_000 });
}

const none = z.object({});
const pid = z.object({ pid: z.number().int() });
const survived = z.object({ survived: z.string() });

export const fixtures = {
  hang: fixture('hang', 'Hang.ps1', none, z.unknown()),
  slow: fixture('slow', 'Slow.ps1', z.object({ milliseconds: z.number().int() }), z.object({ sleptMs: z.number(), pid: z.number(), startedAt: z.number(), endedAt: z.number() })),
  pid: fixture('pid', 'Pid.ps1', none, pid),
  noise: fixture('noise', 'Noise.ps1', none, survived),
  stderr: fixture('stderr', 'Stderr.ps1', none, survived),
  big: fixture('big', 'Big.ps1', z.object({ bytes: z.number().int() }), z.object({ blob: z.string() })),
  dieNow: fixture('die-now', 'DieNow.ps1', z.object({ code: z.number().int() }), z.unknown()),
  exitAfterReply: fixture('exit-after-reply', 'ExitAfterReply.ps1', z.object({ delayMs: z.number().int(), code: z.number().int() }), pid),
  fail: fixture(
    'fail',
    'Fail.ps1',
    z.object({ message: z.string(), category: z.string(), errorId: z.string(), retryAfterSeconds: z.number().int().optional() }),
    z.unknown(),
  ),
  malformed: fixture('malformed', 'Malformed.ps1', none, z.object({ expected: z.string() })),
  unicode: fixture('unicode', 'Unicode.ps1', z.object({ text: z.string() }), z.object({ text: z.string(), codePoints: z.array(z.number()), built: z.string() })),
  lateOutput: fixture('late-output', 'LateOutput.ps1', z.object({ delayMs: z.number().int() }), survived),
  commandLine: fixture('command-line', 'CommandLine.ps1', none, z.object({ arguments: z.array(z.string()) })),
  history: fixture('history', 'History.ps1', none, z.object({ commandLines: z.array(z.string()) })),
  empty: fixture('empty', 'Empty.ps1', none, z.null()),
};

/** Probes of the lab's simulated modules (run against the lab, not plain pwsh). */
export const labProbes = {
  moduleWarnings: fixture('module-warnings', 'ModuleWarnings.ps1', none, z.object({ repositories: z.number().int(), providers: z.number().int() })),
  graphGroups: fixture('graph-groups', 'GraphGroups.ps1', z.object({ stop: z.boolean().optional() }), z.object({ groups: z.number().int() })),
};
