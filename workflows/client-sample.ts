import { patched } from '@temporalio/workflow';
import { isCloudKerberosTrust } from '../model/client-assessment';
import type { Acts } from './channels/channel';
import type { DomainRolloutInput } from './domain-input';
import type { StepRecorder } from './domain-steps';

/** The spec's sample devices, read once the policy is verified: each one's assessment, a warning for each not on cloud trust. */
export async function sampleDevices(acts: Acts, input: DomainRolloutInput, steps: StepRecorder): Promise<void> {
  if (input.domain.sampleDevices.length === 0) return;
  // Histories from before user-context collection sampled over remoting, with no collect in the input.
  const collect = patched('client-user-context') ? (input.domain.clientVerification?.collect ?? 'user-session-task') : undefined;
  if (collect === 'remediation-output') {
    steps.note('clients.read-devices', { status: 'skipped', changes: [`collected by the Intune remediation Get-WhfbUserState.ps1: import its exported output with cloudtrust clients import <file> --spec <spec>`] });
    return;
  }
  const sample = await steps.run('clients.read-devices', () =>
    acts.clientsReadDevices({ computerName: input.domain.sampleDevices, tenantId: input.tenant.id, ...(collect === undefined ? {} : { collect }) }),
  );
  const record = steps.lastRecord()!;
  const tally = new Map<string, number>();
  for (const device of sample.result.devices) {
    tally.set(device.assessment, (tally.get(device.assessment) ?? 0) + 1);
    if (!isCloudKerberosTrust(device.assessment)) record.warnings.push(`${device.name}: ${device.assessment} — ${device.reasons.join('; ')}`);
  }
  record.detail = [...tally].map(([assessment, count]) => `${count} ${assessment}`).join(', ');
  const devices = sample.result.devices.map((d) => ({ name: d.name, assessment: d.assessment, reasons: d.reasons, describes: d.describes ?? 'the sampling session' }));
  if (devices.length > 0) record.clients = devices;
}
