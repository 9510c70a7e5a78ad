import { proxyActivities } from '@temporalio/workflow';
import type { EchoInput, OverheadActivities } from './overhead-activities';

/** Bench-only workflows: K sequentially awaited calls of one activity, so each call's cost shows in the history alone. */
const { noop, echoStep } = proxyActivities<OverheadActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });

export async function noopCalls(calls: number): Promise<void> {
  for (let i = 0; i < calls; i += 1) await noop();
}

export async function echoStepCalls(calls: number, input: EchoInput): Promise<void> {
  for (let i = 0; i < calls; i += 1) await echoStep(input);
}
