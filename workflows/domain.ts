import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import { tenantCloud } from '../model/cloud';
import { kerberosHealthFindings, kerberosObjectProblems, kerberosObjectsPresent } from '../model/kerberos-health';
import { checkPastedKerberosOutput, kerberosMismatches } from '../model/kerberos-output';
import { operatorCommand } from '../model/operator-command';
import type { DomainReport } from '../model/report-types';
import { stepActivities } from './activity-options';
import { channelFor } from './channels/channel-for';
import type { DomainRolloutInput } from './domain-input';
import { DomainStopped, StepRecorder } from './domain-steps';
import { waitForKeyReplication } from './key-replication';
import { domainProgressQuery, kerberosOperatorDoneUpdate, stopDomainSignal } from './messages';
import { verifyPolicy } from './verify-policy';

/**
 * One domain, in the order of Microsoft's guide: the Azure AD Kerberos server object (unattended with a
 * password-only admin, or by an operator for MFA-protected admins), its replication to every writable DC,
 * the policy through Group Policy or Intune, then verification. In plan mode every Set step only reports.
 */
export async function domainRollout(input: DomainRolloutInput): Promise<DomainReport> {
  const planOnly = input.mode === 'plan';
  const report: DomainReport = {
    domain: input.domain.name,
    ring: input.ring,
    channel: input.domain.channel,
    taskQueue: input.taskQueue,
    status: 'running',
    findings: [...(input.preflight?.findings ?? [])],
    ...(input.preflight?.sites ? { sites: input.preflight.sites } : {}),
    ...(input.preflight?.policySources ? { policySources: input.preflight.policySources } : {}),
    steps: [],
    startedAt: new Date().toISOString(),
  };
  let stopReason: string | undefined;
  setHandler(domainProgressQuery, () => report);
  setHandler(stopDomainSignal, ({ reason }) => void (stopReason = reason));
  const steps = new StepRecorder(report, planOnly, () => stopReason);
  const acts = stepActivities(input.taskQueue);

  try {
    const source = await kerberosServerObject(input, report, steps);
    if (!planOnly) await waitForReplication(input, steps, source);
    const channel = channelFor(input.domain);
    await channel.ensure(acts, input, steps);
    await verifyPolicy(channel, acts, input, steps);
    report.status = planOnly ? 'planned' : 'succeeded';
  } catch (error) {
    report.status = error instanceof DomainStopped ? 'stopped' : 'failed';
  }
  report.finishedAt = new Date().toISOString();
  return report;
}

/** Ensures the object; returns the DC the key was written on (the replication source), when known. */
async function kerberosServerObject(input: DomainRolloutInput, report: DomainReport, steps: StepRecorder): Promise<string | undefined> {
  const acts = stepActivities(input.taskQueue);
  const planOnly = input.mode === 'plan';
  const domainCredentialRef = input.domain.domainCredential?.secret;
  const signIn = input.cloudSignIn;

  if (planOnly && input.moduleReady === false) {
    steps.note('kerberos.ensure-server', {
      status: 'ok',
      changed: true,
      changes: [`create or verify the Azure AD Kerberos server object for ${input.domain.name} once the management host has AzureADHybridAuthenticationManagement (the plan cannot read the object before the module is installed)`],
    });
    return undefined;
  }
  const cloud = tenantCloud(input.tenant);
  if ('secret' in signIn) {
    const refs = { domain: input.domain.name, cloudCredentialRef: signIn.secret, domainCredentialRef, ...(cloud === 'public' ? {} : { cloud }) };
    await steps.run('kerberos.ensure-server', () => acts.kerberosEnsureServer({ ...refs, planOnly, ...(input.domain.kerberosTakeOver ? { takeOver: true } : {}) }));
    if (planOnly) {
      if (patched('kerberos-object-health')) await planObjectHealth(input, report, steps);
      return undefined;
    }
    const state = await steps.run('kerberos.read-server', () => acts.kerberosReadServer(refs));
    const s = state.result;
    const problems = s.id === null ? ['the object does not exist'] : kerberosMismatches(s);
    if (problems.length > 0) {
      Object.assign(steps.lastRecord()!, { status: 'failed', error: { type: 'VerificationFailed', message: problems.join('; ') } });
      throw ApplicationFailure.nonRetryable(problems.join('; '), 'VerificationFailed');
    }
    if (patched('kerberos-object-health')) await verifyObjectHealth(input, report, steps, s.keyUpdatedFrom ?? undefined);
    return s.keyUpdatedFrom ?? undefined;
  }

  const command = operatorCommand({
    domain: input.domain.name,
    userPrincipalName: signIn.interactive.userPrincipalName,
    domainAdminUpn: signIn.interactive.domainAdminUserPrincipalName,
    action: 'create',
    cloud,
  });
  if (planOnly) {
    steps.note('kerberos.ensure-server', { status: 'skipped', changes: [`an operator runs, interactively on the management host:\n${command}`] });
    return undefined;
  }
  return operatorAssisted(input, report, steps, command);
}

/**
 * MFA-protected admins: show the exact command, wait for the operator's confirmation, then verify before going on.
 * The AD half is checked directly (no Entra sign-in needed); the cloud half from the Get-AzureADKerberosServer
 * output the operator pastes, when given. A failed check keeps the domain waiting, with the reason.
 */
async function operatorAssisted(input: DomainRolloutInput, report: DomainReport, steps: StepRecorder, command: string): Promise<string | undefined> {
  const acts = stepActivities(input.taskQueue);
  let accepted: { by: string; source?: string; warnings: string[] } | undefined;
  report.status = 'waiting-operator';
  report.operatorCommand = command;
  report.step = 'kerberos.operator-confirmed';
  const startedAt = new Date().toISOString();

  setHandler(
    kerberosOperatorDoneUpdate,
    async ({ by, getOutput }) => {
      const warnings: string[] = [];
      let source: string | undefined;
      if (getOutput) {
        const pasted = checkPastedKerberosOutput(getOutput, input.domain.name);
        if (pasted.problems.length > 0) throw rejection(report, pasted.problems.join('; '));
        source = pasted.fields.KeyUpdatedFrom || undefined;
      } else {
        warnings.push('the cloud half was not verified: no Get-AzureADKerberosServer output was provided');
      }
      const server = source ?? input.writableServers[0];
      if (!server) throw rejection(report, 'no writable DC is known to check the AD half against');
      const seen = await acts.kerberosCheckReplication({ domain: input.domain.name, sourceServer: server, servers: [server], domainCredentialRef: input.domain.domainCredential?.secret });
      if (!seen.result.replicas[0]?.computerObjectPresent || seen.result.sourceKeyVersion === null) {
        throw rejection(report, `CN=AzureADKerberos or its krbtgt account is not present on ${server} yet`);
      }
      if (patched('kerberos-object-health')) {
        const health = await acts.kerberosCheckHealth({ domain: input.domain.name, server, domainCredentialRef: input.domain.domainCredential?.secret });
        const problems = kerberosObjectProblems(health.result);
        if (problems.length > 0) throw rejection(report, problems.join('; '));
      }
      accepted = { by, source, warnings };
      return `accepted: the Azure AD Kerberos server object of ${input.domain.name} is in place`;
    },
    {
      validator: (_confirmation) => {
        if (accepted) throw new Error(`${input.domain.name}: the operator step was already confirmed`);
      },
    },
  );

  await condition(() => accepted !== undefined);
  report.status = 'running';
  report.operatorRejection = undefined;
  steps.note('kerberos.operator-confirmed', { status: 'ok', changed: true, changes: [`created by ${accepted!.by} (operator-assisted)`], warnings: accepted!.warnings, startedAt });
  return accepted!.source;
}

/**
 * After creation: the AD objects besides the key (model/kerberos-health.ts), read on the DC the key was written on.
 * A failed rule fails the step, as a mismatch of the halves does.
 */
async function verifyObjectHealth(input: DomainRolloutInput, report: DomainReport, steps: StepRecorder, server: string | undefined): Promise<void> {
  const acts = stepActivities(input.taskQueue);
  const health = await steps.run('kerberos.check-health', () =>
    acts.kerberosCheckHealth({ domain: input.domain.name, ...(server ? { server } : {}), domainCredentialRef: input.domain.domainCredential?.secret }),
  );
  const problems = kerberosObjectProblems(health.result);
  if (problems.length === 0) return;
  report.findings.push(...kerberosHealthFindings(problems, input.domain.name, 'blocker'));
  Object.assign(steps.lastRecord()!, { status: 'failed', error: { type: 'VerificationFailed', message: problems.join('; ') } });
  throw ApplicationFailure.nonRetryable(problems.join('; '), 'VerificationFailed');
}

/**
 * In a plan (and so in a drift check): the objects as they are, when they exist. Each failed rule is reported as a
 * change the estate needs (an apply would fail its kerberos.check-health step until it is made) and a warning finding.
 */
async function planObjectHealth(input: DomainRolloutInput, report: DomainReport, steps: StepRecorder): Promise<void> {
  const acts = stepActivities(input.taskQueue);
  const health = await steps.run('kerberos.check-health', () => acts.kerberosCheckHealth({ domain: input.domain.name, domainCredentialRef: input.domain.domainCredential?.secret }));
  if (!kerberosObjectsPresent(health.result)) return;
  const problems = kerberosObjectProblems(health.result);
  if (problems.length === 0) return;
  report.findings.push(...kerberosHealthFindings(problems, input.domain.name, 'warning'));
  Object.assign(steps.lastRecord()!, { changed: true, changes: problems.map((p) => `needs repair: ${p}`) });
}

function rejection(report: DomainReport, reason: string): ApplicationFailure {
  report.operatorRejection = reason;
  return ApplicationFailure.nonRetryable(reason, 'OperatorVerificationFailed');
}

/** Durable timer + polling until every writable DC has the key, or the configured timeout. */
async function waitForReplication(input: DomainRolloutInput, steps: StepRecorder, source: string | undefined): Promise<void> {
  const servers = input.writableServers;
  const sourceServer = source ?? servers[0];
  if (!sourceServer || servers.length === 0) {
    steps.note('kerberos.replication-wait', { status: 'skipped', warnings: ['no writable DC known; replication not checked'] });
    return;
  }
  await waitForKeyReplication(stepActivities(input.taskQueue), steps, {
    domain: input.domain.name,
    sourceServer,
    servers,
    domainCredentialRef: input.domain.domainCredential?.secret,
    timeout: input.options.replicationTimeout,
    pollInterval: input.options.replicationPollInterval,
  });
}
