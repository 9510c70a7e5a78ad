import type { DomainReport, RolloutReport } from '../../model/report-types';
import { paintStatus, type Style } from '../style';
import { elapsedBetween, table } from './table';

const FINAL_STATES = new Set(['completed', 'halted', 'cancelled']);
export const isFinalRolloutState = (state: string) => FINAL_STATES.has(state);

/** Why a domain is held back or failed, in one line; empty when it is neither. */
export function domainProblem(d: DomainReport): string {
  if (d.status === 'not-ready') return d.findings.filter((f) => f.severity === 'blocker').map((f) => f.message).join('; ');
  const failed = d.steps.find((s) => s.status === 'failed');
  if (d.status === 'failed' && failed) return `${failed.step}: ${failed.error?.type ?? 'failed'}: ${failed.error?.message ?? ''}`;
  return '';
}

/**
 * A rollout at a glance: its state, its rings, a row per domain (ring, status, step, elapsed), why domains are held
 * back, and what someone has to do next (approve a ring, run the Kerberos command). `full` adds operator commands.
 */
export function rolloutView(report: RolloutReport, id: string, style: Style, options: { now?: number; full?: boolean } = {}): string[] {
  const now = options.now ?? Date.now();
  const lines = [
    `${report.mode === 'plan' ? 'plan' : 'rollout'} ${style.bold(report.name)} ${style.dim(`(${id})`)}  ${paintStatus(style, report.state)}  ${style.dim(elapsedBetween(report.startedAt, report.finishedAt, now))}`,
  ];
  if (report.haltReason) lines.push(`  ${style.red(report.haltReason)}`);
  lines.push(`rings: ${report.rings.map((r) => `${r.name} ${paintStatus(style, r.status)}${r.failures > 0 ? ` (${r.failures}/${r.failureBudget} failed)` : ''}${r.approvedBy ? style.dim(` approved by ${r.approvedBy}`) : ''}`).join(' · ')}`);
  lines.push(
    ...table(
      ['DOMAIN', 'RING', 'STATUS', 'STEP', 'ELAPSED'],
      report.domains.map((d) => [d.domain, d.ring, paintStatus(style, d.status), d.step ?? d.steps[d.steps.length - 1]?.step ?? '', elapsedBetween(d.startedAt, d.finishedAt, now)]),
      style,
    ),
  );
  for (const d of report.domains) {
    const problem = domainProblem(d);
    if (problem) lines.push(`  ${style.red('✗')} ${d.domain}: ${problem}`);
  }
  for (const conflict of report.conflicts.filter((f) => f.severity === 'blocker')) lines.push(`  ${style.red('✗')} ${conflict.message}`);
  lines.push(...nextActions(report, id, style, options.full === true));
  return lines;
}

/** What an operator has to do for the rollout to go on, with the exact command. */
export function nextActions(report: RolloutReport, id: string, style: Style, full: boolean): string[] {
  const lines: string[] = [];
  if (isFinalRolloutState(report.state)) return lines;
  const waiting = report.rings.find((r) => r.status === 'waiting-approval');
  if (waiting) lines.push(style.yellow(`ring ${waiting.name} waits for approval; from another terminal run:`), `  cloudtrust approve ${id} --ring ${waiting.name}`);
  if (report.state === 'paused') lines.push(style.yellow('paused; resume with:'), `  cloudtrust resume ${id}`);
  for (const d of report.domains.filter((x) => x.status === 'waiting-operator')) {
    if (full && d.operatorCommand) {
      lines.push(style.yellow(`${d.domain} waits for an operator to run, on the management host:`), ...d.operatorCommand.split('\n').map((l) => `  ${l}`));
      if (d.operatorRejection) lines.push(`  last confirmation not accepted: ${d.operatorRejection}`);
      lines.push(style.yellow('then confirm, pasting what Get-AzureADKerberosServer printed:'), `  cloudtrust kerberos-done ${id} --domain ${d.domain} --get-output <file>`);
    } else {
      lines.push(style.yellow(`${d.domain} waits for an operator to run the Kerberos command: see \`cloudtrust status ${id}\``));
    }
  }
  return lines;
}
