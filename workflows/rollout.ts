import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import {
  ApplicationFailure,
  condition,

  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { assessDomain, type Finding } from '../model/preflight';
import type { DomainReport, RingReport, RolloutReport, RolloutState } from '../model/report-types';
import { taskQueueFor } from '../model/routing';
import { stateKey } from '../model/search-attributes';
import type { DomainSpec, RingSpec, RolloutSpec } from '../model/spec';
import { stepActivities } from './activity-options';
import { boundedAll } from './bounded';
import { domainRollout } from './domain';
import { describeFailure } from './domain-steps';
import { approveRingUpdate, cancelRolloutUpdate, pauseRolloutUpdate, resumeRolloutUpdate, rolloutProgressQuery, stopDomainSignal } from './messages';
import { scanPolicyConflicts } from './policy-conflicts-v1';
import { scanPolicySources } from './policy-sources';
import { checkRingReadiness } from './user-readiness';

export interface RolloutInput {
  spec: RolloutSpec;
  mode: 'plan' | 'apply';
  specDigest: string;
}

interface Preflighted {
  ready: boolean;
  writableServers: string[];
}

/**
 * A whole rollout: preflight every domain (bounded), make sure the management host has the module, then the rings
 * in order — an approval gate where the spec asks for one, a child workflow per domain under the ring's
 * concurrency cap, and a halt when a ring spends its failure budget. Plan mode runs the same path and changes nothing.
 */
export async function rollout(input: RolloutInput): Promise<RolloutReport> {
  const { spec, mode } = input;
  const planOnly = mode === 'plan';
  const defaultQueue = workflowInfo().taskQueue;
  const report: RolloutReport = {
    name: spec.name,
    tenant: spec.tenant.id,
    mode,
    specDigest: input.specDigest,
    state: 'preflight',
    startedAt: new Date().toISOString(),
    host: [],
    conflicts: [],
    rings: spec.rings.map((ring) => ({ name: ring.name, status: 'pending', failures: 0, failureBudget: ring.failureBudget })),
    domains: spec.rings.flatMap((ring) =>
      ring.domains.map((name) => {
        const domain = domainSpec(spec, name);
        return { domain: domain.name, ring: ring.name, channel: domain.channel, taskQueue: taskQueueFor(spec, domain.name, defaultQueue), status: 'pending', findings: [], steps: [] } satisfies DomainReport;
      }),
    ),
  };
  const domainReport = (name: string) => report.domains.find((d) => d.domain.toLowerCase() === name.toLowerCase())!;

  let paused = false;
  let cancelled: string | undefined;
  const approvals = new Map<string, string>();
  const children = new Map<string, ChildWorkflowHandle<typeof domainRollout>>();

  setHandler(rolloutProgressQuery, () => report);
  setHandler(
    approveRingUpdate,
    ({ ring, approver, comment }) => {
      approvals.set(ring, approver);
      return `ring ${ring} approved by ${approver}${comment ? `: ${comment}` : ''}`;
    },
    {
      validator: ({ ring }) => {
        const entry = report.rings.find((r) => r.name === ring);
        if (!entry) throw new Error(`no ring named ${ring} in this rollout`);
        if (entry.status !== 'waiting-approval') throw new Error(`ring ${ring} is not waiting for approval (it is ${entry.status})`);
      },
    },
  );
  setHandler(pauseRolloutUpdate, ({ by }) => {
    paused = true;
    setState('paused');
    return `paused by ${by}: no new domain starts until resumed`;
  }, { validator: (_request) => { if (finished(report.state)) throw new Error(`the rollout is already ${report.state}`); } });
  setHandler(resumeRolloutUpdate, ({ by }) => {
    paused = false;
    setState('running');
    return `resumed by ${by}`;
  }, { validator: (_request) => { if (!paused) throw new Error('the rollout is not paused'); } });
  setHandler(cancelRolloutUpdate, async ({ by, reason }) => {
    cancelled = `cancelled by ${by}${reason ? `: ${reason}` : ''}`;
    await Promise.all([...children.values()].map((child) => child.signal(stopDomainSignal, { reason: cancelled! }).catch(() => undefined)));
    return `${cancelled}; running domains stop at their next step boundary`;
  }, { validator: (_request) => { if (finished(report.state)) throw new Error(`the rollout is already ${report.state}`); } });

  function setState(state: RolloutState): void {
    report.state = state;
    upsertSearchAttributes([{ key: stateKey, value: state }]);
  }

  // 1. Preflight, every domain, bounded.
  const preflighted = new Map<string, Preflighted>();
  await boundedAll(report.domains, spec.options.preflightConcurrency, async (entry) => {
    const acts = stepActivities(entry.taskQueue);
    try {
      const inventory = await acts.inventoryDomain({ domain: entry.domain });
      const assessment = assessDomain(inventory.result, { capacity: patched('dc-capacity-readiness'), minimumCapableWritablePerSite: spec.options.minimumCapableDcsPerSite });
      entry.findings.push(...assessment.findings);
      if (assessment.sites) entry.sites = assessment.sites;
      const writableServers = inventory.result.controllers.filter((dc) => !dc.isReadOnly && dc.reachable).map((dc) => dc.hostName);
      preflighted.set(entry.domain, { ready: assessment.ready, writableServers });
    } catch (error) {
      const failure = describeFailure(error);
      entry.findings.push({ severity: 'blocker', code: 'preflight-failed', message: `${failure.type}: ${failure.message}` });
      preflighted.set(entry.domain, { ready: false, writableServers: [] });
    }
  });
  // The policy picture replaced the conflict scan after the v2 histories were recorded: same reads, other findings.
  const conflicts = patched('policy-conflict-picture') ? await scanPolicySources(spec, report, defaultQueue) : await scanPolicyConflicts(spec, report, defaultQueue);
  report.conflicts.push(...conflicts);
  for (const entry of report.domains) {
    if (entry.findings.some((f) => f.severity === 'blocker')) {
      entry.status = 'not-ready';
      preflighted.set(entry.domain, { ...preflighted.get(entry.domain)!, ready: false });
    }
  }
  const notReady = report.domains.filter((d) => d.status === 'not-ready');
  if (notReady.length > 0 && spec.options.haltOnPreflightFailure) {
    return halt(`preflight failed for ${notReady.map((d) => d.domain).join(', ')} and the spec halts on preflight failures`);
  }

  // 2. The management host.
  setState('preparing');
  /** Whether the Kerberos module was there before this run (undefined: not read, as in executions before host-preflight). */
  let moduleReady: boolean | undefined;
  try {
    const hostActs = stepActivities(spec.routing.default ?? defaultQueue);
    // Added after the v1 histories were recorded: those executions never read the host first.
    if (patched('host-preflight')) {
      const host = await hostActs.checkHostModule({ minimumVersion: spec.options.moduleMinimumVersion });
      moduleReady = host.result.module.installed && host.result.module.meetsMinimum;
      report.host.push({ ...hostRecord('host-preflight', planOnly, host), detail: `${host.result.powerShell.edition} PowerShell ${host.result.powerShell.version} on ${host.result.hostName}; module ${host.result.module.version ?? 'not installed'}` });
      // Absent in results recorded before the host preflight listed findings.
      report.conflicts.push(...(host.result.findings ?? []));
      if (!host.result.elevated) report.conflicts.push({ severity: planOnly ? 'warning' : 'blocker', code: 'host-not-elevated', message: `the management host session on ${host.result.hostName} is not elevated: installing the module needs "Run as administrator"` });
    }
    const ensured = await hostActs.ensureHostModule({ minimumVersion: spec.options.moduleMinimumVersion, planOnly });
    report.host.push(hostRecord('host-module', planOnly, ensured));
  } catch (error) {
    const failure = describeFailure(error);
    report.host.push({ step: 'host-module', status: 'failed', changed: false, planOnly, changes: [], warnings: [], error: failure, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() });
    return halt(`the management host is not ready: ${failure.message}`);
  }

  // 3. The rings, in order.
  for (const ring of spec.rings) {
    const ringReport = report.rings.find((r) => r.name === ring.name)!;
    if (cancelled) {
      ringReport.status = 'skipped';
      continue;
    }
    // Added after the v1 histories were recorded: before the ring's changes and its gate, who will fail to sign in.
    if (ring.userGroups && ring.userGroups.length > 0 && patched('ring-user-readiness')) {
      const entries = ring.domains.map(domainReport).filter((entry) => entry.status !== 'not-ready');
      const { readiness, blocked } = await checkRingReadiness(spec, ring, entries);
      ringReport.readiness = readiness;
      if (blocked && !planOnly) {
        ringReport.status = 'halted';
        return halt(`ring ${ring.name}: users of ${ring.userGroups.join(', ')} cannot use cloud Kerberos trust and the ring's userReadiness is block`);
      }
    }
    if (ring.approval && !planOnly) {
      ringReport.status = 'waiting-approval';
      setState('waiting-approval');
      const timeout = ring.approval.timeout ? msToNumber(ring.approval.timeout as Duration) : undefined;
      const decided = timeout === undefined ? (await condition(() => approvals.has(ring.name) || cancelled !== undefined), true) : await condition(() => approvals.has(ring.name) || cancelled !== undefined, timeout);
      if (!decided) {
        ringReport.status = 'halted';
        return halt(`ring ${ring.name} was not approved within ${ring.approval.timeout}`);
      }
      if (cancelled) {
        ringReport.status = 'skipped';
        continue;
      }
      ringReport.approvedBy = approvals.get(ring.name);
    }
    ringReport.status = 'running';
    setState(paused ? 'paused' : 'running');
    await runRing(ring, ringReport);
    if (ringReport.failures > ring.failureBudget) {
      ringReport.status = 'halted';
      return halt(`ring ${ring.name} spent its failure budget (${ringReport.failures} failed, ${ring.failureBudget} allowed)`);
    }
    ringReport.status = cancelled ? 'halted' : 'completed';
  }

  report.finishedAt = new Date().toISOString();
  setState(cancelled ? 'cancelled' : 'completed');
  if (cancelled) report.haltReason = cancelled;
  return report;

  async function runRing(ring: RingSpec, ringReport: RingReport): Promise<void> {
    const entries = ring.domains.map(domainReport).filter((entry) => entry.status !== 'not-ready');
    const budgetLeft = () => ringReport.failures <= ring.failureBudget;
    await boundedAll(
      entries,
      ring.concurrency,
      async (entry) => {
        if (cancelled || !budgetLeft()) return;
        const domain = domainSpec(spec, entry.domain);
        entry.status = 'running';
        entry.startedAt = new Date().toISOString();
        const child = await startChild(domainRollout, {
          workflowId: `${workflowInfo().workflowId}/domain/${domain.name}`,
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          args: [
            {
              rollout: spec.name,
              mode,
              ring: ring.name,
              domain,
              tenant: spec.tenant,
              cloudSignIn: domain.cloudSignIn ?? spec.cloudSignIn,
              options: spec.options,
              taskQueue: entry.taskQueue,
              writableServers: preflighted.get(entry.domain)?.writableServers ?? [],
              ...(moduleReady === undefined ? {} : { moduleReady }),
            },
          ],
        });
        children.set(entry.domain, child);
        try {
          const result = await child.result();
          Object.assign(entry, { ...result, findings: [...entry.findings, ...(result.findings ?? [])], ring: ring.name });
        } catch (error) {
          const failure = describeFailure(error);
          entry.status = 'failed';
          entry.steps.push({ step: 'domain-workflow', status: 'failed', changed: false, planOnly, changes: [], warnings: [], error: failure, startedAt: entry.startedAt!, finishedAt: new Date().toISOString() });
        }
        children.delete(entry.domain);
        if (entry.status === 'failed') ringReport.failures += 1;
      },
      () => !paused || cancelled !== undefined || !budgetLeft(),
    );
  }

  function halt(reason: string): RolloutReport {
    report.haltReason = reason;
    report.finishedAt = new Date().toISOString();
    for (const ring of report.rings) if (ring.status === 'pending') ring.status = 'skipped';
    setState('halted');
    return report;
  }
}

function finished(state: RolloutState): boolean {
  return state === 'completed' || state === 'halted' || state === 'cancelled';
}

function domainSpec(spec: RolloutSpec, name: string): DomainSpec {
  const found = spec.domains.find((d) => d.name.toLowerCase() === name.toLowerCase());
  if (!found) throw ApplicationFailure.nonRetryable(`domain ${name} is not declared in the spec`, 'InvalidSpec');
  return found;
}

function hostRecord(step: string, planOnly: boolean, outcome: { changed: boolean; warnings: string[]; result: unknown }): RolloutReport['host'][number] {
  const now = new Date().toISOString();
  const changes = (outcome.result as { changes?: string[] }).changes ?? [];
  return { step, status: 'ok', changed: outcome.changed, planOnly, changes, warnings: outcome.warnings, startedAt: now, finishedAt: now };
}

export type { Finding };
