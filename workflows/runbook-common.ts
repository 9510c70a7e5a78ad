import { ApplicationFailure, isCancellation, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { tenantCloud, type TenantCloud } from '../model/cloud';
import { runbookSizeProblem } from '../model/limits';
import { operatorCommand } from '../model/operator-command';
import type { RunbookDomainReport, RunbookDomainStatus, RunbookReport } from '../model/report-types';
import { taskQueueFor } from '../model/routing';
import type { DomainSpec, RolloutSpec } from '../model/spec';
import { runbookStepName, type StepName } from '../model/step-names';
import { stepActivities } from './activity-options';
import { boundedAll } from './bounded';
import { describeFailure, StepRecorder } from './domain-steps';
import { runbookProgressQuery } from './runbook-messages';
import { holdRunbookLock } from './runbook-lock';
import { stateKey } from '../model/search-attributes';

export interface RunbookInputBase {
  spec: RolloutSpec;
  mode: 'plan' | 'apply';
  /** A subset of the spec's domains; absent = all of them. */
  domains?: string[];
}

/** What a runbook's per-domain work gets: the domain, its live report entry, a step recorder and its routed activities. */
export interface RunbookDomain {
  domain: DomainSpec;
  entry: RunbookDomainReport;
  steps: StepRecorder;
  acts: ReturnType<typeof stepActivities>;
  planOnly: boolean;
}

export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'InvalidInput');
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The spec's domains in ring order, or the named subset of them (every name must be declared). */
export function selectDomains(spec: RolloutSpec, names?: string[]): DomainSpec[] {
  const ordered = spec.rings.flatMap((ring) => ring.domains).flatMap((name) => spec.domains.filter((d) => sameName(d.name, name)));
  const tooMany = runbookSizeProblem((names ?? ordered).length);
  if (tooMany) throw invalidInput(tooMany);
  if (names === undefined) return ordered;
  if (names.length === 0) throw invalidInput('domains is empty: name at least one domain, or leave it out for all of them');
  const unknown = names.filter((name) => !spec.domains.some((d) => sameName(d.name, name)));
  if (unknown.length > 0) throw invalidInput(`not declared in spec ${spec.name}: ${unknown.join(', ')}`);
  return ordered.filter((d) => names.some((name) => sameName(name, d.name)));
}

/**
 * Runs `perDomain` over the selected domains, at most `spec.options.preflightConcurrency` at once, each on its
 * routed task queue, behind the progress query. A domain's failure is recorded in its entry and does not stop the
 * others; a cancellation of the workflow is not swallowed.
 */
export async function runRunbook(
  runbook: RunbookReport['runbook'],
  input: RunbookInputBase,
  request: string,
  perDomain: (domain: RunbookDomain) => Promise<RunbookDomainStatus>,
): Promise<RunbookReport> {
  const { spec } = input;
  const planOnly = input.mode === 'plan';
  const domains = selectDomains(spec, input.domains);
  const defaultQueue = workflowInfo().taskQueue;
  const report: RunbookReport = {
    runbook,
    name: spec.name,
    tenant: spec.tenant.id,
    mode: input.mode,
    request,
    state: 'running',
    startedAt: new Date().toISOString(),
    domains: domains.map((d) => ({ domain: d.name, channel: d.channel, taskQueue: taskQueueFor(spec, d.name, defaultQueue), status: 'pending', steps: [] })),
  };
  setHandler(runbookProgressQuery, () => report);
  if (!planOnly && patched('runbook-lock')) await holdRunbookLock(runbook, spec.name);

  await boundedAll(domains, spec.options.preflightConcurrency, async (domain, index) => {
    const entry = report.domains[index];
    entry.status = 'running';
    entry.startedAt = new Date().toISOString();
    const steps = new StepRecorder(entry, planOnly, () => undefined);
    try {
      entry.status = await perDomain({ domain, entry, steps, acts: stepActivities(entry.taskQueue), planOnly });
    } catch (error) {
      if (isCancellation(error)) throw error;
      entry.status = 'failed';
      if (entry.steps.at(-1)?.status !== 'failed') steps.note((entry.step as StepName | undefined) ?? runbookStepName(runbook), { status: 'failed', error: describeFailure(error) });
    }
    entry.finishedAt = new Date().toISOString();
  });

  report.state = 'completed';
  report.finishedAt = new Date().toISOString();
  if (patched('runbook-state')) upsertSearchAttributes([{ key: stateKey, value: runbookOutcome(report) }]);
  return report;
}

/** What a list shows for a finished runbook: failed or needs-operator when any domain is, else completed. */
export function runbookOutcome(report: RunbookReport): 'failed' | 'needs-operator' | 'completed' {
  if (report.domains.some((d) => d.status === 'failed')) return 'failed';
  if (report.domains.some((d) => d.status === 'needs-operator')) return 'needs-operator';
  return 'completed';
}

/** The unattended sign-in (secret names) for the Kerberos cmdlets, or undefined when the Entra admin is MFA-protected. */
export function unattendedSignIn(spec: RolloutSpec, domain: DomainSpec): { domain: string; cloudCredentialRef: string; domainCredentialRef?: string; cloud?: TenantCloud } | undefined {
  const signIn = domain.cloudSignIn ?? spec.cloudSignIn;
  if (!('secret' in signIn)) return undefined;
  const cloud = tenantCloud(spec.tenant);
  return { domain: domain.name, cloudCredentialRef: signIn.secret, domainCredentialRef: domain.domainCredential?.secret, ...(cloud === 'public' ? {} : { cloud }) };
}

/** An MFA-protected admin: nothing is tried; the domain reports the exact command an operator runs by hand. */
export function needsOperator(spec: RolloutSpec, d: RunbookDomain, step: StepName, action: 'rotate' | 'remove'): RunbookDomainStatus {
  const signIn = d.domain.cloudSignIn ?? spec.cloudSignIn;
  if (!('interactive' in signIn)) throw ApplicationFailure.nonRetryable(`${d.domain.name}: an operator command needs an interactive sign-in`, 'InvalidSpec');
  const command = operatorCommand({
    domain: d.domain.name,
    userPrincipalName: signIn.interactive.userPrincipalName,
    domainAdminUpn: signIn.interactive.domainAdminUserPrincipalName,
    action,
    cloud: tenantCloud(spec.tenant),
  });
  d.entry.operatorCommand = command;
  d.steps.note(step, {
    status: 'skipped',
    changes: [`an operator runs, interactively on the management host:\n${command}`],
    detail: 'the Entra admin is MFA-protected: the module cannot sign in unattended',
  });
  return 'needs-operator';
}
