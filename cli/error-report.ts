import { ServiceError, WorkflowFailedError } from '@temporalio/client';
import { EXIT_CODE, TriggerError } from '../client/errors';
import { SpecError } from '../model/spec-file';
import { CodecKeyError } from '../worker/codec-key';
import { TemporalSettingsError } from '../worker/connection-config';
import { EXIT } from './exit-codes';
import type { Io } from './io';
import { UsageError } from './usage-error';

/** An error as the CLI reports it: one message, the problems by path, a hint, and the exit code. */
export interface CliFailure {
  kind: string;
  message: string;
  problems: string[];
  hint?: string;
  exitCode: number;
}

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

export function describeFailure(error: unknown): CliFailure {
  if (error instanceof UsageError) {
    return { kind: 'usage', message: error.message, problems: [], hint: `see \`cloudtrust ${error.command ? `${error.command} --help` : 'help'}\``, exitCode: EXIT.usage };
  }
  if (error instanceof TriggerError) {
    return { kind: error.kind, message: error.message, problems: error.problems, ...(error.hint ? { hint: error.hint } : {}), exitCode: EXIT_CODE[error.kind] };
  }
  if (error instanceof SpecError) {
    const n = error.problems.length;
    return { kind: 'invalid-input', message: `${error.source} is not a valid rollout spec: ${n} problem${n === 1 ? '' : 's'}`, problems: error.problems, hint: 'fix every problem listed, then `cloudtrust validate` it again', exitCode: EXIT.invalidInput };
  }
  if (error instanceof TemporalSettingsError) {
    return { kind: 'invalid-input', message: 'invalid Temporal connection settings', problems: error.problems, hint: 'fix the environment variables named above', exitCode: EXIT.invalidInput };
  }
  if (error instanceof CodecKeyError) {
    return { kind: 'invalid-input', message: error.message, problems: [], hint: 'use the payload key the worker uses (CLOUDTRUST_CODEC_KEY or CLOUDTRUST_CODEC_KEY_FILE)', exitCode: EXIT.invalidInput };
  }
  if (error instanceof Error && error.name === 'HookConfigError' && Array.isArray((error as { problems?: unknown }).problems)) {
    const { file, problems } = error as Error & { file: string; problems: string[] };
    return { kind: 'invalid-input', message: `the hooks file ${file} has problems`, problems, hint: 'fix them, or move the file away to run without hooks', exitCode: EXIT.invalidInput };
  }
  if (error instanceof WorkflowFailedError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return { kind: 'failed', message: `the run failed: ${cause}`, problems: [], hint: 'see its history in the Temporal Web UI', exitCode: EXIT.endedBadly };
  }
  if (error instanceof ServiceError) {
    const code = (error.cause as { code?: number } | undefined)?.code;
    if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) {
      return { kind: 'unavailable', message: `the Temporal server did not answer (${error.message})`, problems: [], hint: 'start it with `cloudtrust server`, or check TEMPORAL_ADDRESS', exitCode: EXIT.unavailable };
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'error', message, problems: [], hint: 'run it again with --debug for the stack trace', exitCode: EXIT.endedBadly };
}

/** Writes the error to stderr (one line, its problems, a hint; JSON with --json) and returns the exit code. */
export function reportError(io: Io, error: unknown): number {
  const failure = describeFailure(error);
  if (io.json) {
    io.err(JSON.stringify({ error: { kind: failure.kind, message: failure.message, problems: failure.problems, ...(failure.hint ? { hint: failure.hint } : {}), exitCode: failure.exitCode } }));
  } else {
    io.err(`cloudtrust: ${failure.message}`);
    for (const problem of failure.problems) io.err(`  - ${problem}`);
    if (failure.hint && !(io.debug && failure.kind === 'error')) io.err(`hint: ${failure.hint}`);
  }
  if (io.debug && error instanceof Error && error.stack) io.err(error.stack);
  return failure.exitCode;
}
