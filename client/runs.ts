import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { ServiceError } from '@temporalio/client';
import { ID_NAME_PATTERN } from '../model/names';
import type { DriftReport, RolloutRecord, RolloutReport, RunbookReport } from '../model/report-types';
import { kindKey, specKey, stateKey, tenantKey } from '../model/search-attributes';
import { withCurrentStepNames } from '../model/step-names';
import { approveRingUpdate, cancelRolloutUpdate, pauseRolloutUpdate, resumeRolloutUpdate } from '../workflows/messages';
import { runbookProgressQuery } from '../workflows/runbook-messages';
import { TriggerError } from './errors';
import { wholeReport } from './rollout-report';
import { rolloutProgress } from './rollouts';

/** What cloudtrust starts: a rollout (apply), a plan, a runbook or a drift check. */
export type RunKind = 'rollout' | 'plan' | 'rotate-keys' | 'rollback' | 'migrate-intune' | 'drift-check';
export const RUN_KINDS: RunKind[] = ['rollout', 'plan', 'rotate-keys', 'rollback', 'migrate-intune', 'drift-check'];

export interface RunSummary {
  /** The workflow id; runs of one id (rollouts, manual runbooks) are told apart by runId. */
  id: string;
  runId: string;
  kind: RunKind;
  spec: string;
  tenant: string;
  /** cloudtrust's own state (preflight, waiting-approval, completed, drift, …), else Temporal's status in lower case. */
  state: string;
  /** Temporal's execution status (RUNNING, COMPLETED, FAILED, TERMINATED, …). */
  status: string;
  startedAt: string;
  closedAt?: string;
}

export type RunReport =
  | { kind: 'rollout' | 'plan'; report: RolloutReport }
  | { kind: 'rotate-keys' | 'rollback' | 'migrate-intune'; report: RunbookReport }
  | { kind: 'drift-check'; report: DriftReport };

function summary(d: WorkflowExecutionDescription): RunSummary | undefined {
  const kind = d.typedSearchAttributes.get(kindKey) as RunKind | undefined;
  if (!kind || !RUN_KINDS.includes(kind)) return undefined;
  return {
    id: d.workflowId,
    runId: d.runId,
    kind,
    spec: d.typedSearchAttributes.get(specKey) ?? '',
    tenant: d.typedSearchAttributes.get(tenantKey) ?? '',
    state: d.typedSearchAttributes.get(stateKey) ?? d.status.name.toLowerCase(),
    status: d.status.name,
    startedAt: d.startTime.toISOString(),
    ...(d.closeTime ? { closedAt: d.closeTime.toISOString() } : {}),
  };
}

/** The newest runs first, optionally of some kinds, one spec, or only those still running. */
export async function listRuns(client: Client, filter: { kinds?: RunKind[]; spec?: string; running?: boolean; limit?: number } = {}): Promise<RunSummary[]> {
  const kinds = filter.kinds ?? RUN_KINDS;
  const clauses = [`CloudtrustKind IN (${kinds.map((k) => `'${k}'`).join(', ')})`];
  if (filter.spec !== undefined) {
    if (!ID_NAME_PATTERN.test(filter.spec)) throw new TriggerError('invalid-input', `${JSON.stringify(filter.spec)} is not a spec name (lower-case letters, digits and dashes)`);
    clauses.push(`CloudtrustSpec = '${filter.spec}'`);
  }
  if (filter.running) clauses.push(`ExecutionStatus = 'Running'`);
  const runs: RunSummary[] = [];
  try {
    for await (const execution of client.workflow.list({ query: clauses.join(' AND '), pageSize: 100 })) {
      const run = summary(execution as WorkflowExecutionDescription);
      if (run) runs.push(run);
      if (runs.length >= (filter.limit ?? 50)) break;
    }
  } catch (error) {
    throw asTriggerError(error, 'list runs');
  }
  return runs;
}

export async function describeRun(client: Client, id: string): Promise<RunSummary> {
  const description = await client.workflow.getHandle(id).describe().catch((error: unknown) => {
    throw asTriggerError(error, id);
  });
  const run = summary(description);
  if (!run) throw new TriggerError('not-found', `${id} is not a cloudtrust run`, 'list the runs with `cloudtrust list`');
  return run;
}

/** Whether a run has a report to read: a completed run's result, or a running one's live progress (drift checks have none until done). */
export function hasReport(run: RunSummary): boolean {
  return run.status === 'COMPLETED' || (run.status === 'RUNNING' && run.kind !== 'drift-check');
}

/** Why a run has no report (see hasReport). */
export function noReportReason(run: RunSummary): string {
  return run.status === 'RUNNING' ? `its plan runs as ${run.id}/plan; the verdict exists once it has finished` : `it ended ${run.status.toLowerCase()} and left no report: see its history in the Temporal Web UI`;
}

/** The final report of a finished run, or the live progress of a running one (`run`: when the caller has described it), with today's record ids. */
export async function runReport(client: Client, id: string, described?: RunSummary): Promise<RunReport & { run: RunSummary }> {
  const run = described ?? (await describeRun(client, id));
  const handle = client.workflow.getHandle(id);
  try {
    if (run.status === 'COMPLETED') {
      const result = (await handle.result()) as RunReport['report'] | RolloutRecord;
      const report = run.kind === 'rollout' || run.kind === 'plan' ? await wholeReport(client, result as RolloutReport | RolloutRecord) : result;
      return { run, kind: run.kind, report: withCurrentStepNames(report) } as RunReport & { run: RunSummary };
    }
    if (run.status !== 'RUNNING') throw new TriggerError('not-found', `${id} ended ${run.status.toLowerCase()} and left no report`, 'see its history in the Temporal Web UI');
    switch (run.kind) {
      case 'rollout':
      case 'plan':
        return { run, kind: run.kind, report: await rolloutProgress(client, id) };
      case 'rotate-keys':
      case 'rollback':
      case 'migrate-intune':
        return { run, kind: run.kind, report: withCurrentStepNames(await handle.query(runbookProgressQuery)) };
      case 'drift-check':
        throw new TriggerError('not-found', `drift check ${id} is still running; its report exists once it has finished`, `its plan runs as ${id}/plan`);
    }
  } catch (error) {
    throw asTriggerError(error, id);
  }
}

export type RolloutControl =
  | { action: 'approve'; ring?: string; by: string; comment?: string }
  | { action: 'pause'; by: string }
  | { action: 'resume'; by: string }
  | { action: 'cancel'; by: string; reason?: string };

/**
 * Approves a ring (the one waiting when none is named), pauses, resumes or cancels a rollout. A request the rollout
 * cannot take (no ring waiting, already paused, finished) is refused with the rollout's own reason.
 */
export async function controlRollout(client: Client, id: string, control: RolloutControl): Promise<string> {
  const run = await describeRun(client, id);
  if (run.kind !== 'rollout') throw new TriggerError('rejected', `${id} is a ${run.kind}, not a rollout: only rollouts take ${control.action}`);
  if (run.status !== 'RUNNING') throw new TriggerError('rejected', `rollout ${id} has ended (${run.status.toLowerCase()}): it takes no ${control.action}`);
  const handle = client.workflow.getHandle(id);
  try {
    switch (control.action) {
      case 'approve': {
        const ring = control.ring ?? (await waitingRing(client, id));
        return await handle.executeUpdate(approveRingUpdate, { args: [{ ring, approver: control.by, ...(control.comment ? { comment: control.comment } : {}) }] });
      }
      case 'pause':
        return await handle.executeUpdate(pauseRolloutUpdate, { args: [{ by: control.by }] });
      case 'resume':
        return await handle.executeUpdate(resumeRolloutUpdate, { args: [{ by: control.by }] });
      case 'cancel':
        return await handle.executeUpdate(cancelRolloutUpdate, { args: [{ by: control.by, ...(control.reason ? { reason: control.reason } : {}) }] });
    }
  } catch (error) {
    throw asTriggerError(error, id);
  }
}

async function waitingRing(client: Client, id: string): Promise<string> {
  const progress = await rolloutProgress(client, id);
  const waiting = progress.rings.find((r) => r.status === 'waiting-approval');
  if (!waiting) throw new TriggerError('rejected', `no ring of rollout ${id} is waiting for approval (the rollout is ${progress.state})`);
  return waiting.name;
}

/** Temporal's errors in the caller's terms: unknown id → not-found, refused update → rejected with its reason. */
export function asTriggerError(error: unknown, subject: string): Error {
  if (error instanceof TriggerError) return error;
  if (error instanceof WorkflowNotFoundError) return new TriggerError('not-found', `no run ${subject}`, 'list the runs with `cloudtrust list`');
  if (error instanceof WorkflowUpdateFailedError) {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    return new TriggerError('rejected', `${subject} refused: ${reason}`);
  }
  if (error instanceof ServiceError) {
    const code = (error.cause as { code?: number } | undefined)?.code;
    if (code === 5) return new TriggerError('not-found', `no run ${subject}`, 'list the runs with `cloudtrust list`');
    if (code === 14 || code === 4) return new TriggerError('unavailable', `the Temporal server did not answer (${error.message})`, 'start it with `cloudtrust server`, or check TEMPORAL_ADDRESS');
  }
  return error instanceof Error ? error : new Error(String(error));
}
