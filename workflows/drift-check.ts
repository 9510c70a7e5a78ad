import { executeChild, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { domainPlanSummary } from '../model/domain-summary';
import { isRolloutRecord, type DriftReport, type RolloutRecord, type RolloutReport } from '../model/report-types';
import { runSearchAttributes, stateKey } from '../model/search-attributes';
import type { RolloutSpec } from '../model/spec';
import { readKeyAges } from './drift-key-age';
import { rollout } from './rollout';

export interface DriftCheckInput {
  spec: RolloutSpec;
  specDigest: string;
}

/**
 * Plans the spec against the estate as it is now (the rollout in plan mode, as a child) and reports every change
 * the plan would make as drift, with each planned domain's key age and key findings. Nothing is changed. Meant to
 * run on a schedule after a rollout has completed.
 */
export async function driftCheck(input: DriftCheckInput): Promise<DriftReport> {
  const { spec } = input;
  const planWorkflowId = `${workflowInfo().workflowId}/plan`;
  const plan = await executeChild(rollout, {
    workflowId: planWorkflowId,
    args: [{ spec, mode: 'plan', specDigest: input.specDigest }],
    typedSearchAttributes: runSearchAttributes('plan', spec, 'preflight'),
  });
  const report = driftFrom(plan, planWorkflowId);
  if (patched('drift-key-age')) await readKeyAges(spec, report);
  upsertSearchAttributes([{ key: stateKey, value: report.verdict }]);
  return report;
}

export function driftFrom(plan: RolloutReport | RolloutRecord, planWorkflowId: string): DriftReport {
  const domains = isRolloutRecord(plan)
    ? plan.domains.map((d) => ({ domain: d.domain, status: d.status, ...(d.plan ?? { changes: [] }) }))
    : plan.domains.map((d) => ({ domain: d.domain, status: d.status, ...domainPlanSummary(d) }));
  const hostChanges = plan.host.flatMap((step) => step.changes);
  const incomplete = plan.state !== 'completed' || domains.some((d) => d.problem !== undefined);
  const drift = hostChanges.length > 0 || domains.some((d) => d.changes.length > 0);
  return {
    name: plan.name,
    tenant: plan.tenant,
    checkedAt: plan.finishedAt ?? plan.startedAt,
    planWorkflowId,
    verdict: drift ? 'drift' : incomplete ? 'incomplete' : 'in-sync',
    domains,
    hostChanges,
  };
}
