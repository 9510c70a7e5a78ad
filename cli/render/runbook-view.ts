import { escapeMarkdownCell } from '../../model/report-render';
import type { KeyAge } from '../../model/key-rotation';
import type { Finding } from '../../model/preflight';
import type { DriftReport, RunbookDomainReport, RunbookReport } from '../../model/report-types';
import { createStyle, paintStatus, type Style } from '../style';
import { elapsedBetween, table } from './table';

/** A runbook that left no domain failed or waiting for someone to run a command. */
export const runbookSucceeded = (report: RunbookReport) => report.domains.every((d) => d.status !== 'failed' && d.status !== 'needs-operator');

function domainNotes(d: RunbookDomainReport, id: string, style: Style, full: boolean): string[] {
  const lines: string[] = [];
  const failed = d.steps.find((s) => s.status === 'failed');
  if (d.status === 'failed' && failed) lines.push(`  ${style.red('✗')} ${d.domain}: ${failed.step}: ${failed.error?.type ?? 'failed'}: ${failed.error?.message ?? ''}`);
  lines.push(...keyNotes(d, style));
  for (const step of d.steps) {
    for (const change of step.changes) lines.push(`  ${style.yellow('~')} ${d.domain}: ${change}`);
    if (step.detail) lines.push(`  ${style.dim('·')} ${d.domain}: ${step.detail}`);
    for (const warning of step.warnings) lines.push(`  ${style.yellow('!')} ${warning.startsWith(d.domain) ? warning : `${d.domain}: ${warning}`}`);
  }
  if (d.status === 'needs-operator' && d.operatorCommand) {
    lines.push(style.yellow(`${d.domain} needs an operator to run, on the management host:`));
    if (full) lines.push(...d.operatorCommand.split('\n').map((l) => `  ${l}`));
    else lines.push(`  (the command: \`cloudtrust status ${id}\`)`);
  }
  return lines;
}

/** The key's age (with options.keyRotation.maxKeyAge) and its findings, when the run read the key. */
function keyNotes(d: { domain: string; keyAge?: KeyAge; findings?: Finding[] }, style: Style, indent = '  '): string[] {
  const lines: string[] = [];
  if (d.keyAge) {
    const text = `${d.domain}: key ${d.keyAge.age} old (updated ${d.keyAge.keyUpdatedOn}; maxKeyAge ${d.keyAge.maxKeyAge})`;
    lines.push(`${indent}${d.keyAge.overdue ? style.yellow('!') : style.dim('·')} ${text}`);
  }
  for (const finding of d.findings ?? []) lines.push(`${indent}${finding.severity === 'blocker' ? style.red('✗') : style.yellow('!')} ${finding.code}: ${finding.message}`);
  return lines;
}

/** A key rotation or rollback: what was asked, a row per domain, then each domain's changes, notes and problems. */
export function runbookView(report: RunbookReport, id: string, style: Style, options: { now?: number; full?: boolean } = {}): string[] {
  const now = options.now ?? Date.now();
  return [
    `${report.runbook}${report.mode === 'plan' ? ' (plan)' : ''} ${style.bold(report.name)} ${style.dim(`(${id})`)}  ${paintStatus(style, report.state)}  ${style.dim(elapsedBetween(report.startedAt, report.finishedAt, now))}`,
    `  ${report.request}`,
    ...table(
      ['DOMAIN', 'STATUS', 'STEP', 'ELAPSED'],
      report.domains.map((d) => [d.domain, paintStatus(style, d.status), d.step ?? d.steps[d.steps.length - 1]?.step ?? '', elapsedBetween(d.startedAt, d.finishedAt, now)]),
      style,
    ),
    ...report.domains.flatMap((d) => domainNotes(d, id, style, options.full === true)),
  ];
}

export function runbookMarkdown(report: RunbookReport, id: string): string {
  const lines = [
    `# cloudtrust ${report.runbook}${report.mode === 'plan' ? ' plan' : ''} ${report.name}`,
    '',
    `- run: ${id}`,
    `- tenant: ${report.tenant}`,
    `- request: ${escapeMarkdownCell(report.request)}`,
    `- state: **${report.state}**`,
    `- started ${report.startedAt}${report.finishedAt ? `, finished ${report.finishedAt}` : ''}`,
    '',
    '| domain | status | steps |',
    '|---|---|---|',
    ...report.domains.map(
      (d) =>
        `| ${escapeMarkdownCell(d.domain)} | ${escapeMarkdownCell(d.status)} | ${d.steps.map((s) => escapeMarkdownCell(`${s.step}: ${s.status}${s.detail ? ` (${s.detail})` : ''}${s.error ? ` — ${s.error.type}: ${s.error.message}` : ''}`)).join('<br>') || '—'} |`,
    ),
    '',
  ];
  for (const d of report.domains.filter((x) => x.keyAge || (x.findings ?? []).length > 0)) {
    lines.push(`## ${d.domain}: the key`, '', ...keyNotes(d, createStyle(false), '- ').map((l) => escapeMarkdownCell(l)), '');
  }
  for (const d of report.domains.filter((x) => x.operatorCommand && x.status === 'needs-operator')) {
    lines.push(`## ${d.domain}: to run on the management host`, '', '```powershell', d.operatorCommand!, '```', '');
  }
  return `${lines.join('\n')}\n`;
}

/** A drift check: its verdict, then each domain's planned changes (the drift) or why it could not be checked. */
export function driftView(report: DriftReport, id: string, style: Style): string[] {
  const lines = [`drift check ${style.bold(report.name)} ${style.dim(`(${id})`)}  ${paintStatus(style, report.verdict)}  ${style.dim(`checked ${report.checkedAt}`)}`];
  for (const change of report.hostChanges) lines.push(`  ${style.yellow('~')} management host: ${change}`);
  for (const d of report.domains) {
    const count = d.changes.length + (d.moreChanges ?? 0);
    lines.push(`  ${d.domain}  ${count > 0 ? style.yellow(`${count} change${count === 1 ? '' : 's'}`) : d.problem ? paintStatus(style, d.status) : style.green('in sync')}`);
    for (const change of d.changes) lines.push(`    ${style.yellow('~')} ${change}`);
    if (d.moreChanges) lines.push(`    ${style.yellow('~')} … ${d.moreChanges} more in the full plan`);
    if (d.problem) lines.push(`    ${style.red('✗')} ${d.problem}`);
    for (const source of d.policySources ?? []) lines.push(`    ${style.dim(`policy ${source}`)}`);
    lines.push(...keyNotes(d, style, '    '));
  }
  lines.push(`  the full plan: \`cloudtrust report ${report.planWorkflowId}\``);
  return lines;
}

export function driftMarkdown(report: DriftReport, id: string): string {
  const lines = driftView(report, id, createStyle(false));
  return `# cloudtrust drift check ${report.name}\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`;
}
