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

/** Characters of plan text (changes and problem) a rollout's record keeps over all its domains: see MAX_DOMAINS. */
export const PLAN_TEXT_BUDGET = 500_000;
const MIN_PLAN_TEXT = 160;

/** The plan text each domain's summary may keep in a rollout of this many domains. */
export function planTextPerDomain(domains: number): number {
  return Math.max(MIN_PLAN_TEXT, Math.floor(PLAN_TEXT_BUDGET / Math.max(1, domains)));
}

/**
 * A domain's plan as a summary keeps it, within `budget` characters: the problem, then the changes in order while
 * they fit (the first one shortened if it alone does not), the rest counted. A policy source that breaks cloud trust
 * is among the changes already; the picture itself is in the domain's report.
 */
export function boundedPlanSummary(d: DomainReport, budget: number): DomainPlanSummary {
  const full = domainPlanSummary(d);
  const problem = full.problem === undefined ? undefined : shorten(full.problem, Math.max(MIN_PLAN_TEXT / 2, Math.floor(budget / 3)));
  let left = budget - (problem?.length ?? 0);
  const changes: string[] = [];
  for (const line of full.changes) {
    const kept = changes.length === 0 ? shorten(line, Math.max(MIN_PLAN_TEXT / 2, left)) : line;
    if (changes.length > 0 && kept.length > left) break;
    changes.push(kept);
    left -= kept.length;
  }
  const more = full.changes.length - changes.length;
  return { changes, ...(more > 0 ? { moreChanges: more } : {}), ...(problem ? { problem } : {}) };
}

function shorten(line: string, characters: number): string {
  return line.length <= characters ? line : `${line.slice(0, characters - 1)}…`;
}

/** A domain's summary for the parent of a batched rollout. */
export function summarize(report: DomainReport, where: { batch: number; child: boolean; planOnly: boolean; planText: number }): DomainSummary {
  return {
    domain: report.domain,
    channel: report.channel,
    taskQueue: report.taskQueue,
    status: report.status,
    ...(report.step ? { step: report.step } : {}),
    counts: domainCounts(report),
    batch: where.batch,
    ...(where.child ? { child: true } : {}),
    ...(where.planOnly ? { plan: boundedPlanSummary(report, where.planText) } : {}),
    ...(report.startedAt ? { startedAt: report.startedAt } : {}),
    ...(report.finishedAt ? { finishedAt: report.finishedAt } : {}),
  };
}
