import { z } from 'zod';
import { bindParameters } from '../bind';
import { LabError, type StepHandler } from '../handler';

/**
 * Transport fixtures: misbehaviours a real PowerShell process can show, on demand. Registered only when
 * CLOUDTRUST_LAB_FIXTURES=1 (the transport tests); they have no .ps1 counterpart and never run in a rollout.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const hang: StepHandler = () => new Promise(() => undefined);

const slow: StepHandler = async (args) => {
  const p = bindParameters('fixture.slow', z.object({ Milliseconds: z.number().int().nonnegative() }), args);
  await sleep(p.Milliseconds);
  return { changed: false, result: { sleptMs: p.Milliseconds, pid: process.pid } };
};

const pid: StepHandler = async () => ({ changed: false, result: { pid: process.pid } });

const noise: StepHandler = async (_args, context) => {
  context.writeConsole('WARNING: banner text before the result\r\nPS C:\\> stray prompt <<cloudtrust:notacall:Zm9v>>\n');
  context.writeError('a native command wrote this to stderr\n');
  context.writeAfterCall('late output after the closing delimiter\n');
  return { changed: true, result: { survived: 'noise' }, warnings: ['a warning record'] };
};

const stderr: StepHandler = async (_args, context) => {
  context.writeError('WARNING: a native command wrote this to stderr\n');
  return { changed: false, result: { survived: 'stderr' } };
};

const big: StepHandler = async (args) => {
  const p = bindParameters('fixture.big', z.object({ Bytes: z.number().int().positive().max(64 * 1024 * 1024) }), args);
  const unit = 'Zoë-Ω-東京|';
  return { changed: false, result: { blob: unit.repeat(Math.ceil(p.Bytes / Buffer.byteLength(unit))) } };
};

const dieNow: StepHandler = async (_args, context) => context.exit(7);

const exitAfterReply: StepHandler = async (args, context) => {
  const p = bindParameters('fixture.exit-after-reply', z.object({ DelayMs: z.number().int().nonnegative(), Code: z.number().int() }), args);
  setTimeout(() => context.exit(p.Code), p.DelayMs);
  return { changed: false, result: { pid: process.pid } };
};

const fail: StepHandler = async (args) => {
  const p = bindParameters(
    'fixture.fail',
    z.object({ Message: z.string(), Category: z.string(), ErrorId: z.string(), RetryAfterSeconds: z.number().optional() }),
    args,
  );
  throw new LabError(p.Message, p.Category, p.ErrorId, null, p.RetryAfterSeconds);
};

const malformed: StepHandler = async () => ({ changed: false, result: { unexpected: true } });

export const fixtureHandlers: Record<string, StepHandler> = {
  'fixture.hang': hang,
  'fixture.slow': slow,
  'fixture.pid': pid,
  'fixture.noise': noise,
  'fixture.stderr': stderr,
  'fixture.big': big,
  'fixture.die-now': dieNow,
  'fixture.exit-after-reply': exitAfterReply,
  'fixture.fail': fail,
  'fixture.malformed': malformed,
};
