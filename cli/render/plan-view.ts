import { pictureLines } from '../../model/policy-conflicts';
import type { RolloutReport, StepRecord } from '../../model/report-types';
import { paintStatus, type Style } from '../style';
import { domainProblem } from './rollout-view';

function stepLines(step: StepRecord, style: Style, indent = '    '): string[] {
  if (step.status === 'failed') return [`${indent}${style.red('✗')} ${step.step}: ${step.error?.type ?? 'failed'}: ${step.error?.message ?? ''}`];
  return [...step.changes.map((c) => `${indent}${style.yellow('~')} ${step.step}: ${c}`), ...step.warnings.map((w) => `${indent}${style.yellow('!')} ${step.step}: ${w}`)];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a plan would change, per ring and domain, with why domains are held back; ends with a one-line total. */
export function planView(report: RolloutReport, id: string, style: Style): string[] {
  const lines = [`plan ${style.bold(report.name)} ${style.dim(`(${id})`)}  ${paintStatus(style, report.state)}`];
  if (report.haltReason) lines.push(`  ${style.red(report.haltReason)}`);
  const hostChanges = report.host.flatMap((s) => stepLines(s, style, '  '));
  if (hostChanges.length > 0) lines.push('management host:', ...hostChanges);
  for (const conflict of report.conflicts) lines.push(`  ${conflict.severity === 'blocker' ? style.red('✗') : style.yellow('!')} ${conflict.message}`);
  for (const ring of report.rings) {
    lines.push(`ring ${style.bold(ring.name)}`);
    for (const d of report.domains.filter((x) => x.ring === ring.name)) {
      const changes = d.steps.reduce((n, s) => n + s.changes.length, 0);
      lines.push(`  ${d.domain} (${d.channel})  ${paintStatus(style, d.status)}${d.status === 'planned' ? `  ${changes === 0 ? style.green('no change') : plural(changes, 'change')}` : ''}`);
      const problem = domainProblem(d);
      if (problem && d.status === 'not-ready') for (const f of d.findings.filter((x) => x.severity === 'blocker')) lines.push(`    ${style.red('✗')} ${f.message}`);
      for (const f of d.findings.filter((x) => x.severity === 'warning')) lines.push(`    ${style.yellow('!')} ${f.message}`);
      if (d.policySources) for (const source of pictureLines(d.policySources)) lines.push(`    ${style.dim(`policy ${source}`)}`);
      for (const step of d.steps) lines.push(...stepLines(step, style));
    }
  }
  const total = report.host.reduce((n, s) => n + s.changes.length, 0) + report.domains.reduce((n, d) => n + d.steps.reduce((m, s) => m + s.changes.length, 0), 0);
  const changing = report.domains.filter((d) => d.steps.some((s) => s.changes.length > 0)).length;
  const notReady = report.domains.filter((d) => d.status === 'not-ready').length;
  const failed = report.domains.filter((d) => d.status === 'failed').length;
  lines.push(`Plan: ${plural(total, 'change')} in ${plural(changing, 'domain')}; ${plural(notReady, 'domain')} not ready; ${failed} failed.`);
  return lines;
}
