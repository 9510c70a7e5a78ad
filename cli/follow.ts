import type { Client } from '@temporalio/client';
import { rolloutProgress } from '../client/rollouts';
import type { DomainReport, RolloutReport } from '../model/report-types';

export interface FollowOptions {
  intervalMs?: number;
  write?: (line: string) => void;
  /** Called while a ring waits for approval (the demo approves; the CLI tells the user how). */
  onApprovalWanted?: (ring: string) => Promise<void>;
}

const FINAL = new Set(['completed', 'halted', 'cancelled']);

function domainLine(d: DomainReport): string {
  const last = d.steps[d.steps.length - 1];
  const step = d.step ?? last?.step ?? '';
  const elapsed = d.startedAt ? `${Math.round(((d.finishedAt ? Date.parse(d.finishedAt) : Date.now()) - Date.parse(d.startedAt)) / 1000)}s` : '';
  const detail = d.status === 'not-ready' ? d.findings.filter((f) => f.severity === 'blocker').map((f) => f.message).join('; ') : last?.status === 'failed' ? `${last.error?.type}: ${last.error?.message}` : '';
  return `  ${d.domain.padEnd(32)} ${d.status.padEnd(17)} ${step.padEnd(22)} ${elapsed.padStart(5)}${detail ? `  ${detail}` : ''}`;
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
  for (;;) {
    const report = await rolloutProgress(client, workflowId);
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
    if (FINAL.has(report.state)) return report;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}
