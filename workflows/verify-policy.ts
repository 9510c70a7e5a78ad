import { ApplicationFailure } from '@temporalio/workflow';
import type { Acts, PolicyChannel } from './channels/channel';
import { sampleDevices } from './client-sample';
import type { DomainRolloutInput } from './domain-input';
import type { StepRecorder } from './domain-steps';

/** Reads the policy back through the domain's channel, then samples the named devices. Skipped in plan mode. */
export async function verifyPolicy(channel: PolicyChannel, acts: Acts, input: DomainRolloutInput, steps: StepRecorder): Promise<void> {
  if (input.mode === 'plan') return;
  const problems = await channel.verify(acts, input, steps);
  if (problems.length > 0) {
    const last = steps.lastRecord();
    if (last) Object.assign(last, { status: 'failed', error: { type: 'VerificationFailed', message: problems.join('; ') } });
    throw ApplicationFailure.nonRetryable(problems.join('; '), 'VerificationFailed');
  }
  await sampleDevices(acts, input, steps);
}
