import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { z } from 'zod';
import type { StepContract } from '../steps/contract';
import { BridgeError } from './errors';
import type { PowerShellPool } from './pool';
import { runStep, type StepOutcome } from './run-step';

/** runStep inside a Temporal activity: heartbeats while the script runs, cancellation kills the process, failures become ApplicationFailures. */
export async function runStepActivity<I extends z.ZodType, O extends z.ZodType>(
  pool: PowerShellPool,
  contract: StepContract<I, O>,
  input: z.input<I>,
  options: { heartbeatEveryMs?: number } = {},
): Promise<StepOutcome<z.infer<O>>> {
  const context = Context.current();
  try {
    return await runStep(pool, contract, input, {
      signal: context.cancellationSignal,
      heartbeat: (details) => context.heartbeat(details),
      heartbeatEveryMs: options.heartbeatEveryMs,
    });
  } catch (error) {
    throw toTemporalFailure(error);
  }
}

export function toTemporalFailure(error: unknown): Error {
  if (!(error instanceof BridgeError)) return error instanceof Error ? error : new Error(String(error));
  if (error.kind === 'Cancelled') return new CancelledFailure(error.message);
  return ApplicationFailure.create({
    type: error.kind,
    message: error.message,
    nonRetryable: !error.retryable,
    nextRetryDelay: error.retryAfterMs,
    details: error.errors.map((e) => ({ message: e.message, fullyQualifiedErrorId: e.fullyQualifiedErrorId ?? null, category: e.category ?? null, targetObject: e.targetObject ?? null })),
  });
}
