import { isCancellation, workflowInfo } from '@temporalio/workflow';
import { keyAgeOf, keyFindings, keyRotationOptions } from '../model/key-rotation';
import type { DriftReport } from '../model/report-types';
import { taskQueueFor } from '../model/routing';
import type { RolloutSpec } from '../model/spec';
import { stepActivities } from './activity-options';
import { boundedAll } from './bounded';
import { unattendedSignIn } from './runbook-common';

/**
 * A drift check's key reads (Get-AzureADKerberosServer, read-only): the key age of every domain the plan could
 * plan, with a finding when it exceeds options.keyRotation.maxKeyAge or when the halves disagree (a reset outside
 * the module). MFA-protected admins cannot sign in unattended: their domains have no key age. A read that fails
 * leaves the domain without one; it is not drift.
 */
export async function readKeyAges(spec: RolloutSpec, report: DriftReport): Promise<void> {
  const { maxKeyAge } = keyRotationOptions(spec.options);
  const readable = report.domains.filter((d) => d.status === 'planned');
  await boundedAll(readable, spec.options.preflightConcurrency, async (entry) => {
    const domain = spec.domains.find((d) => d.name.toLowerCase() === entry.domain.toLowerCase());
    const signIn = domain && unattendedSignIn(spec, domain);
    if (!signIn) return;
    try {
      const acts = stepActivities(taskQueueFor(spec, entry.domain, workflowInfo().taskQueue));
      const state = (await acts.kerberosReadServer(signIn)).result;
      if (state.id === null) return;
      const age = keyAgeOf(state.keyUpdatedOn, Date.now(), maxKeyAge);
      if (age) entry.keyAge = age;
      entry.findings = keyFindings({ domain: entry.domain, keyVersion: state.keyVersion, cloudKeyVersion: state.cloudKeyVersion, keyUpdatedOn: state.keyUpdatedOn }, age);
    } catch (error) {
      if (isCancellation(error)) throw error;
    }
  });
}
