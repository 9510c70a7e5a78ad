import type { Client } from '@temporalio/client';
import { wholeReport } from '../client/rollout-report';
import { rolloutProgress } from '../client/rollouts';
import type { DomainReport, RolloutRecord, RolloutReport } from '../model/report-types';

export interface FollowOptions {
  intervalMs?: number;
  write?: (line: string) => void;
  /** Called while a ring waits for approval (the demo approves; the CLI tells the user how). */
  onApprovalWanted?: (ring: string) => Promise<void>;
}

const FINAL = new Set(['completed', 'halted', 'cancelled']);
/** Whether a rollout has reached a state it does not leave. */
export const rolloutEnded = (report: RolloutReport): boolean => FINAL.has(report.state);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function domainLine(d: DomainReport): string {
  const last = d.steps[d.steps.length - 1];
  const step = d.step ?? last?.step ?? '';
  const elapsed = d.startedAt ? `${Math.round(((d.finishedAt ? Date.parse(d.finishedAt) : Date.now()) - Date.parse(d.startedAt)) / 1000)}s` : '';
  const detail = d.status === 'not-ready' ? d.findings.filter((f) => f.severity === 'blocker').map((f) => f.message).join('; ') : last?.status === 'failed' ? `${last.error?.type}: ${last.error?.message}` : '';
  return `  ${d.domain.padEnd(32)} ${d.status.padEnd(17)} ${step.padEnd(22)} ${elapsed.padStart(5)}${detail ? `  ${detail}` : ''}`;
}

/**
 * Polls a workflow's live progress with `query`, handing every snapshot to `onReport`, until `isFinal` says it is
 * done or the workflow closes; returns the last report (the workflow's result once it has closed). A workflow that
 * fails throws its failure.
 */
export async function watchRun<R>(
  client: Client,
  workflowId: string,
  query: () => Promise<R>,
  isFinal: (report: R) => boolean,
  onReport: (report: R) => Promise<void> | void,
  intervalMs = 500,
  /** Turns the workflow's result into the report (a batched rollout's record into its whole report). */
  finalReport: (result: unknown) => Promise<R> = async (result) => result as R,
): Promise<R> {
  const closed: { outcome?: { ok: true; report: R } | { ok: false; error: unknown } } = {};
  client.workflow.getHandle(workflowId).result().then(finalReport).then(
    (report: R) => (closed.outcome = { ok: true, report }),
    (error: unknown) => (closed.outcome = { ok: false, error }),
  );
  for (;;) {
    const report = closed.outcome ? undefined : await query().catch((error: unknown) => {
      if (closed.outcome) return undefined;
      throw error;
    });
    if (report === undefined) {
      // The workflow closed: its result is the final report, and a closed workflow is not queried.
      const outcome = closed.outcome!;
      if (!outcome.ok) throw outcome.error;
      await onReport(outcome.report);
      return outcome.report;
    }
    await onReport(report);
    if (isFinal(report)) return report;
    await sleep(intervalMs);
  }
}

/** Every snapshot of a rollout's progress until it reaches a final state; returns the final report. */
export function watchRollout(client: Client, workflowId: string, onReport: (report: RolloutReport) => Promise<void> | void, intervalMs = 500): Promise<RolloutReport> {
  return watchRun(client, workflowId, () => rolloutProgress(client, workflowId), rolloutEnded, onReport, intervalMs, (result) => wholeReport(client, result as RolloutReport | RolloutRecord));
}

/**
 * Prints a line whenever a domain's status or step changes (plain lines: fit for logs and non-TTY output),
 * until the rollout reaches a final state; returns its final report.
 */
export async function followRollout(client: Client, workflowId: string, options: FollowOptions = {}): Promise<RolloutReport> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const seen = new Map<string, string>();
  let lastState = '';
  const asked = new Set<string>();
  return watchRollout(
    client,
    workflowId,
    async (report) => {
      if (report.state !== lastState) {
        write(`rollout ${report.name}: ${report.state}${report.haltReason ? ` — ${report.haltReason}` : ''}`);
        lastState = report.state;
      }
      for (const d of report.domains) {
        const key = `${d.status}|${d.step ?? ''}|${d.steps.length}`;
        if (seen.get(d.domain) !== key && d.status !== 'pending') {
          seen.set(d.domain, key);
          write(domainLine(d));
        }
      }
      const waiting = report.rings.find((r) => r.status === 'waiting-approval');
      if (waiting && options.onApprovalWanted && !asked.has(waiting.name)) {
        asked.add(waiting.name);
        await options.onApprovalWanted(waiting.name);
      }
    },
    options.intervalMs,
  );
}
