import type { z } from 'zod';
import { describeIssues } from '../../model/zod-issues';
import { toPowerShellArguments, type StepContract } from '../steps/contract';
import { BridgeError, classifyStepErrors } from './errors';
import type { PowerShellPool } from './pool';
import { collectCredentialSecrets } from './redact';

export interface StepOutcome<T> {
  changed: boolean;
  result: T;
  warnings: string[];
  durationMs: number;
}

export interface RunStepOptions {
  signal?: AbortSignal;
  heartbeat?: (details: { scriptId: string; elapsedMs: number }) => void;
  heartbeatEveryMs?: number;
  timeoutMs?: number;
}

/**
 * Runs one step: input checked against the contract before anything is sent, the script run through the
 * pool's process set of the edition the contract needs, the envelope mapped to a typed failure when not ok, the result checked against the contract.
 */
export async function runStep<I extends z.ZodType, O extends z.ZodType>(
  pool: PowerShellPool,
  contract: StepContract<I, O>,
  input: z.input<I>,
  options: RunStepOptions = {},
): Promise<StepOutcome<z.infer<O>>> {
  const parsedInput = contract.input.safeParse(input);
  if (!parsedInput.success) {
    throw new BridgeError('InvalidInput', `${contract.id}: invalid input: ${describeIssues(parsedInput.error).join('; ')}`);
  }
  const args = toPowerShellArguments(contract, parsedInput.data as Record<string, unknown>);
  const secrets = collectCredentialSecrets(parsedInput.data);
  const started = Date.now();
  const beat = options.heartbeat
    ? setInterval(() => options.heartbeat!({ scriptId: contract.id, elapsedMs: Date.now() - started }), options.heartbeatEveryMs ?? 5_000)
    : undefined;
  try {
    const outcome = await pool.run(contract.id, args, { timeoutMs: options.timeoutMs ?? contract.timeoutMs, signal: options.signal, secrets, edition: contract.edition ?? 'any' });
    const { envelope } = outcome;
    if (!envelope.ok) throw classifyStepErrors(contract.id, envelope.errors);
    const parsedOutput = contract.output.safeParse(envelope.result);
    if (!parsedOutput.success) {
      throw new BridgeError('ContractViolation', `${contract.id}: the script's result does not match its contract: ${describeIssues(parsedOutput.error, 'result').join('; ')}`);
    }
    return { changed: envelope.changed, result: parsedOutput.data, warnings: envelope.warnings, durationMs: outcome.durationMs };
  } finally {
    if (beat) clearInterval(beat);
  }
}
