import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import type { Finding } from '../model/preflight';
import type { RolloutRecord, RolloutReport } from '../model/report-types';
import type { RingSpec } from '../model/spec';
import { stepActivities } from './activity-options';
import { BatchedDomains } from './rollout-batched';
import { installRolloutHandlers } from './rollout-handlers';
import { DomainsInParent } from './rollout-in-parent';
import { RolloutRun, type RolloutInput } from './rollout-run';

export type { RolloutInput };

/** A phase either lets the rollout go on or halts it, with the reason. */
type Phase = Promise<{ halt: string } | undefined>;

/**
 * A whole rollout, in the phases of Microsoft's guide: preflight every domain (DCs, policy sources), make sure the
 * management host has the module, then the rings in order — the ring's users checked, an approval gate where the
 * spec asks for one, each domain in a child workflow under the ring's concurrency, a halt when a ring spends its
 * failure budget — and the report. Plan mode runs the same path and changes nothing.
 */
export async function rollout(input: RolloutInput): Promise<RolloutReport | RolloutRecord> {
  // Executions from before batches hold every domain themselves; they replay as they ran.
  const run = new RolloutRun(input, patched('rollout-batches') ? 'batched' : 'in-parent');
  const domains = run.layout === 'batched' ? new BatchedDomains(run) : new DomainsInParent(run);
  run.work = domains;
  installRolloutHandlers(run);

  const halted = (await preflight(run)) ?? (await managementHost(run, domains)) ?? (await rings(run));
  return report(run, halted?.halt);
}

async function preflight(run: RolloutRun): Phase {
  await run.work.preflight();
  const notReady = run.report.domains.filter((d) => d.status === 'not-ready');
  if (notReady.length > 0 && run.spec.options.haltOnPreflightFailure) {
    return { halt: `preflight failed for ${notReady.map((d) => d.domain).join(', ')} and the spec halts on preflight failures` };
  }
  return undefined;
}

async function managementHost(run: RolloutRun, domains: DomainsInParent | BatchedDomains): Phase {
  const { spec, planOnly } = run;
  run.setState('preparing');
  const acts = stepActivities(spec.routing.default ?? run.defaultQueue);
  try {
    // Added after the v1 histories were recorded: those executions never read the host first.
    if (run.layout === 'batched' || patched('host-preflight')) {
      const host = await run.host.run('host.read-module', () => acts.hostReadModule({ minimumVersion: spec.options.moduleMinimumVersion }));
      domains.setModuleReady(host.result.module.installed && host.result.module.meetsMinimum);
      run.host.lastRecord()!.detail = `${host.result.powerShell.edition} PowerShell ${host.result.powerShell.version} on ${host.result.hostName}; module ${host.result.module.version ?? 'not installed'}`;
      // Absent in results recorded before the host preflight listed findings.
      run.report.conflicts.push(...(host.result.findings ?? []));
      if (!host.result.elevated) run.report.conflicts.push(notElevated(host.result.hostName, planOnly));
    }
    await run.host.run('host.ensure-module', () => acts.hostEnsureModule({ minimumVersion: spec.options.moduleMinimumVersion, planOnly }));
  } catch {
    const failed = run.host.lastRecord();
    return { halt: `the management host is not ready: ${failed?.error?.message ?? 'unknown failure'}` };
  }
  return undefined;
}

async function rings(run: RolloutRun): Phase {
  for (const ring of run.spec.rings) {
    const ringReport = run.ring(ring.name);
    if (run.cancelled) {
      ringReport.status = 'skipped';
      continue;
    }
    const gate = (await userReadiness(run, ring)) ?? (await approval(run, ring));
    if (gate === 'skip') {
      ringReport.status = 'skipped';
      continue;
    }
    if (gate) return gate;
    ringReport.status = 'running';
    run.setState(run.paused ? 'paused' : 'running');
    await run.work.runRing(ring);
    if (ringReport.failures > ring.failureBudget) {
      ringReport.status = 'halted';
      return { halt: `ring ${ring.name} spent its failure budget (${ringReport.failures} failed, ${ring.failureBudget} allowed)` };
    }
    ringReport.status = run.cancelled ? 'halted' : 'completed';
  }
  return undefined;
}

/** Before the ring's changes and its gate: who will fail to sign in (added after the v1 histories were recorded). */
async function userReadiness(run: RolloutRun, ring: RingSpec): Promise<{ halt: string } | undefined> {
  if (!ring.userGroups || ring.userGroups.length === 0) return undefined;
  if (run.layout !== 'batched' && !patched('ring-user-readiness')) return undefined;
  const blocked = await run.work.ringReadiness(ring);
  if (!blocked || run.planOnly) return undefined;
  run.ring(ring.name).status = 'halted';
  return { halt: `ring ${ring.name}: users of ${ring.userGroups.join(', ')} cannot use cloud Kerberos trust and the ring's userReadiness is block` };
}

async function approval(run: RolloutRun, ring: RingSpec): Promise<{ halt: string } | 'skip' | undefined> {
  if (!ring.approval || run.planOnly) return undefined;
  const ringReport = run.ring(ring.name);
  ringReport.status = 'waiting-approval';
  run.setState('waiting-approval');
  const decision = () => run.approvals.has(ring.name) || run.cancelled !== undefined;
  const timeout = ring.approval.timeout ? msToNumber(ring.approval.timeout as Duration) : undefined;
  const decided = timeout === undefined ? (await condition(decision), true) : await condition(decision, timeout);
  if (!decided) {
    ringReport.status = 'halted';
    return { halt: `ring ${ring.name} was not approved within ${ring.approval.timeout}` };
  }
  if (run.cancelled) return 'skip';
  ringReport.approvedBy = run.approvals.get(ring.name);
  return undefined;
}

async function report(run: RolloutRun, halt: string | undefined): Promise<RolloutReport | RolloutRecord> {
  if (halt === undefined) run.complete();
  else run.halt(halt);
  await run.work.close();
  await condition(allHandlersFinished);
  return run.report;
}

function notElevated(hostName: string, planOnly: boolean): Finding {
  return { severity: planOnly ? 'warning' : 'blocker', code: 'host-not-elevated', message: `the management host session on ${hostName} is not elevated: installing the module needs "Run as administrator"` };
}

export type { Finding };
