import { pictureLines } from './policy-conflicts';
import type { DomainCounts, DomainPlanSummary, DomainReport, DomainSummary } from './report-types';

/** The counts a batched rollout keeps of a domain's report. */
export function domainCounts(report: Pick<DomainReport, 'steps' | 'findings'>): DomainCounts {
  return {
    steps: report.steps.length,
    changed: report.steps.filter((s) => s.changed).length,
    failed: report.steps.filter((s) => s.status === 'failed').length,
    blockers: report.findings.filter((f) => f.severity === 'blocker').length,
    warnings: report.findings.filter((f) => f.severity === 'warning').length,
  };
}

/**
 * What a plan found for one domain: every planned change as "<step>: <change>", a source that breaks cloud trust on
 * the devices (certificate trust, WHfB off, GPO beside Intune) as a change too, and why the domain could not be
 * planned, if it could not.
 */
export function domainPlanSummary(d: DomainReport): DomainPlanSummary {
  const policy = (d.policySources?.findings ?? []).filter((f) => f.severity === 'blocker').map((f) => `policy sources: ${f.message}`);
  const changes = [...d.steps.flatMap((step) => step.changes.map((change) => `${step.step}: ${change}`)), ...policy];
  const failed = d.steps.find((step) => step.status === 'failed');
  const problem =
    d.status === 'not-ready'
      ? d.findings.filter((f) => f.severity === 'blocker').map((f) => f.message).join('; ')
      : failed
        ? `${failed.step}: ${failed.error?.type ?? 'failed'}: ${failed.error?.message ?? ''}`
        : d.status === 'planned' ? undefined : `domain ended ${d.status}`;
  return { changes, ...(problem ? { problem } : {}), ...(d.policySources ? { policySources: pictureLines(d.policySources) } : {}) };
}

/** A domain's summary for the parent of a batched rollout. */
export function summarize(report: DomainReport, where: { batch: string; workflowId?: string; planOnly: boolean }): DomainSummary {
  return {
    domain: report.domain,
    ring: report.ring,
    channel: report.channel,
    taskQueue: report.taskQueue,
    status: report.status,
    ...(report.step ? { step: report.step } : {}),
    counts: domainCounts(report),
    batch: where.batch,
    ...(where.workflowId ? { workflowId: where.workflowId } : {}),
    ...(where.planOnly ? { plan: domainPlanSummary(report) } : {}),
    ...(report.startedAt ? { startedAt: report.startedAt } : {}),
    ...(report.finishedAt ? { finishedAt: report.finishedAt } : {}),
  };
}
