import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { patched, sleep, workflowInfo } from '@temporalio/workflow';
import { cooldownOf, keyRotationOptions, RESET_OUTSIDE_MODULE } from '../model/key-rotation';
import type { RunbookDomainStatus, RunbookReport } from '../model/report-types';
import { waitForKeyReplication } from './key-replication';
import { checkKey, type KeyCheck } from './rotate-key-check';
import { invalidInput, needsOperator, runRunbook, unattendedSignIn, type RunbookDomain, type RunbookInputBase } from './runbook-common';

export interface RotateKeysInput extends RunbookInputBase {
  /**
   * The idempotency key: a domain whose key was updated at or after this moment is not rotated again. A schedule
   * passes its own action time; a client passes the time it was asked. Never taken from the clock in here: left out,
   * it is the schedule's action time (TemporalScheduledStartTime), and a run not started by a schedule is refused.
   */
  requestedAt?: string;
  /** Rotate even when the key was updated less than 24 hours ago, or was reset outside the module (-Force repairs it). */
  force?: boolean;
  /**
   * Rotate twice, to retire the key from before the first rotation too: rotate, wait for every writable DC, wait
   * out the cooldown (model/key-rotation.ts cooldownOf), rotate again, wait again.
   */
  double?: boolean;
}

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** How far requestedAt may run ahead of the workflow's clock (clients and servers disagree a little). */
const CLOCK_SKEW_MS = 5 * 60_000;

type SignIn = NonNullable<ReturnType<typeof unattendedSignIn>>;

/**
 * Rotates the Azure AD Kerberos server key of the spec's domains (Set-AzureADKerberosServer -RotateServerKey).
 * Password-only admins rotate unattended; MFA-protected admins get the exact command to run by hand. The 24-hour
 * rule skips a domain with a warning; it is not a failure. Before rotating, the key's age and a reset outside the
 * module are checked (the latter refuses the rotation unless forced); after it, every writable DC must hold the
 * new key version. Plan mode reports what would rotate.
 */
export async function rotateKeys(input: RotateKeysInput): Promise<RunbookReport> {
  const { spec } = input;
  const requestedAt = input.requestedAt ?? scheduledStartTime();
  if (requestedAt === undefined) throw invalidInput('requestedAt is required unless a schedule started this run');
  if (!UTC_ISO.test(requestedAt)) throw invalidInput(`requestedAt must be a UTC ISO timestamp such as 2026-11-25T10:00:00Z, not ${JSON.stringify(requestedAt)}`);
  // A moment in the future would let a retried rotation through the "already rotated for this request" check.
  if (Date.parse(requestedAt) > Date.now() + CLOCK_SKEW_MS) throw invalidInput(`requestedAt ${requestedAt} is in the future`);
  const force = input.force === true;
  const double = input.double === true;
  const request = `rotate the Azure AD Kerberos server keys${double ? ' twice (double rotation)' : ''}, requested at ${requestedAt}${force ? ', forced past the 24-hour rule' : ''}`;
  // Runs started before the key checks and the replication wait existed replay without them.
  const checked = patched('rotation-replication-wait');
  const options = keyRotationOptions(spec.options);

  return runRunbook('rotate-keys', input, request, async (d) => {
    const signIn = unattendedSignIn(spec, d.domain);
    if (!signIn) return needsOperator(spec, d, 'kerberos.rotate-key', 'rotate');

    const check = checked ? await checkKey(d, signIn, spec.options) : undefined;
    const reset = check?.findings.find((f) => f.code === RESET_OUTSIDE_MODULE);
    if (reset && !force) {
      d.steps.note('kerberos.rotate-key', { status: 'failed', error: { type: 'ResetOutsideModule', message: `not rotated without force: ${reset.message}` } });
      return 'failed';
    }

    const first = await rotateOnce(d, signIn, requestedAt, force);
    if (d.planOnly && check && first.status === 'planned') planWaits(d, check, double, options, force);
    if (first.keyVersion === undefined) return first.status;
    if (check) await replicated(d, check, first.keyVersion);
    if (!double || !check) return 'succeeded';

    const cooldown = cooldownOf(options, force);
    d.entry.step = 'kerberos.cooldown';
    const until = new Date(Date.now() + cooldown.ms).toISOString();
    d.steps.note('kerberos.cooldown', { status: 'ok', detail: `waiting ${cooldown.duration} until ${until}: ${cooldown.reason}` });
    const wait = d.steps.lastRecord()!;
    await sleep(cooldown.ms);
    Object.assign(wait, { detail: `waited ${cooldown.duration} until ${until}: ${cooldown.reason}`, finishedAt: new Date().toISOString() });

    // Its own request time: the first rotation's key update is earlier, so it does not count as served.
    const second = await rotateOnce(d, signIn, new Date().toISOString(), force);
    if (second.keyVersion === undefined) return second.status;
    await replicated(d, check, second.keyVersion);
    return 'succeeded';
  });
}

/** One Set-AzureADKerberosServer -RotateServerKey, recorded as kerberos.rotate-key; keyVersion is the new one when it rotated. */
async function rotateOnce(d: RunbookDomain, signIn: SignIn, requestedAt: string, force: boolean): Promise<{ status: RunbookDomainStatus; keyVersion?: string }> {
  const outcome = await d.steps.run('kerberos.rotate-key', () => d.acts.kerberosRotateKey({ ...signIn, requestedAt, force, planOnly: d.planOnly }));
  const record = d.steps.lastRecord()!;
  const { skipped, before, after } = outcome.result;
  if (skipped) {
    Object.assign(record, { status: 'skipped', detail: skipped });
    const served = before.keyUpdatedOn !== null && Date.parse(before.keyUpdatedOn) >= Date.parse(requestedAt);
    return { status: served && !d.planOnly ? 'succeeded' : 'skipped' };
  }
  if (d.planOnly) return { status: 'planned' };
  if (after.keyVersion !== after.cloudKeyVersion) {
    Object.assign(record, { status: 'failed', error: { type: 'VerificationFailed', message: `KeyVersion ${after.keyVersion} differs from CloudKeyVersion ${after.cloudKeyVersion} after the rotation` } });
    return { status: 'failed' };
  }
  record.detail = `key version ${before.keyVersion} → ${after.keyVersion}`;
  return { status: 'succeeded', keyVersion: after.keyVersion };
}

/** Waits until every writable DC holds krbtgt_AzureAD at the new key version; throws ReplicationTimeout naming the DCs that lag. */
async function replicated(d: RunbookDomain, check: KeyCheck, keyVersion: string): Promise<void> {
  const expected = Number(keyVersion);
  if (check.writableServers.length === 0 || !Number.isInteger(expected) || expected <= 0) {
    d.steps.note('kerberos.replication-wait', { status: 'skipped', warnings: [`no writable DC known or no numeric key version (${keyVersion}); replication not checked`] });
    return;
  }
  d.entry.step = 'kerberos.replication-wait';
  await waitForKeyReplication(d.acts, d.steps, {
    domain: d.domain.name,
    sourceServer: check.sourceServer,
    servers: check.writableServers,
    expectedKeyVersion: expected,
    domainCredentialRef: d.domain.domainCredential?.secret,
    timeout: check.replicationTimeout,
    pollInterval: check.replicationPollInterval,
  });
}

/** The plan of what follows a rotation: the replication wait, and for a double rotation the cooldown and the second round. */
function planWaits(d: RunbookDomain, check: KeyCheck, double: boolean, options: ReturnType<typeof keyRotationOptions>, force: boolean): void {
  const wait = () =>
    d.steps.note('kerberos.replication-wait', { status: 'ok', detail: `wait (at most ${check.replicationTimeout}) until all ${check.writableServers.length} writable DCs hold the new key version` });
  wait();
  if (!double) return;
  const cooldown = cooldownOf(options, force);
  d.steps.note('kerberos.cooldown', { status: 'ok', changes: [`wait ${cooldown.duration}: ${cooldown.reason}`] });
  d.steps.note('kerberos.rotate-key', { status: 'ok', changed: true, changes: [`rotate the Kerberos server key of ${d.domain.name} again: the second rotation retires the key from before the first`] });
  wait();
}

const scheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** The action time a Temporal Schedule gives the runs it starts; the same for every attempt of that action. */
function scheduledStartTime(): string | undefined {
  return workflowInfo().typedSearchAttributes.get(scheduledStartTimeKey)?.toISOString();
}
