import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';
import type { RunbookReport } from '../model/report-types';
import { invalidInput, needsOperator, runRunbook, unattendedSignIn, type RunbookInputBase } from './runbook-common';

export interface RotateKeysInput extends RunbookInputBase {
  /**
   * The idempotency key: a domain whose key was updated at or after this moment is not rotated again. A schedule
   * passes its own action time; a client passes the time it was asked. Never taken from the clock in here: left out,
   * it is the schedule's action time (TemporalScheduledStartTime), and a run not started by a schedule is refused.
   */
  requestedAt?: string;
  /** Rotate even when the key was updated less than 24 hours ago. */
  force?: boolean;
}

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** How far requestedAt may run ahead of the workflow's clock (clients and servers disagree a little). */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Rotates the Azure AD Kerberos server key of the spec's domains (Set-AzureADKerberosServer -RotateServerKey).
 * Password-only admins rotate unattended; MFA-protected admins get the exact command to run by hand. The 24-hour
 * rule skips a domain with a warning; it is not a failure. Plan mode reports what would rotate.
 */
export async function rotateKeys(input: RotateKeysInput): Promise<RunbookReport> {
  const { spec } = input;
  const requestedAt = input.requestedAt ?? scheduledStartTime();
  if (requestedAt === undefined) throw invalidInput('requestedAt is required unless a schedule started this run');
  if (!UTC_ISO.test(requestedAt)) throw invalidInput(`requestedAt must be a UTC ISO timestamp such as 2026-11-25T10:00:00Z, not ${JSON.stringify(requestedAt)}`);
  // A moment in the future would let a retried rotation through the "already rotated for this request" check.
  if (Date.parse(requestedAt) > Date.now() + CLOCK_SKEW_MS) throw invalidInput(`requestedAt ${requestedAt} is in the future`);
  const force = input.force === true;
  const request = `rotate the Azure AD Kerberos server keys, requested at ${requestedAt}${force ? ', forced past the 24-hour rule' : ''}`;

  return runRunbook('rotate-keys', input, request, async (d) => {
    const signIn = unattendedSignIn(spec, d.domain);
    if (!signIn) return needsOperator(spec, d, 'kerberos-rotate', 'rotate');

    const outcome = await d.steps.run('kerberos-rotate', () => d.acts.rotateKerberosKey({ ...signIn, requestedAt, force, planOnly: d.planOnly }));
    const record = d.steps.lastRecord()!;
    const { skipped, before, after } = outcome.result;
    if (skipped) {
      Object.assign(record, { status: 'skipped', detail: skipped });
      const served = before.keyUpdatedOn !== null && Date.parse(before.keyUpdatedOn) >= Date.parse(requestedAt);
      return served && !d.planOnly ? 'succeeded' : 'skipped';
    }
    if (d.planOnly) return 'planned';
    if (after.keyVersion !== after.cloudKeyVersion) {
      Object.assign(record, { status: 'failed', error: { type: 'VerificationFailed', message: `KeyVersion ${after.keyVersion} differs from CloudKeyVersion ${after.cloudKeyVersion} after the rotation` } });
      return 'failed';
    }
    record.detail = `key version ${before.keyVersion} → ${after.keyVersion}`;
    return 'succeeded';
  });
}

const scheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** The action time a Temporal Schedule gives the runs it starts; the same for every attempt of that action. */
function scheduledStartTime(): string | undefined {
  return workflowInfo().typedSearchAttributes.get(scheduledStartTimeKey)?.toISOString();
}
