import { policyHtml, policyMarkdown } from './policy-render';
import { readinessHtml, readinessMarkdown } from './readiness-render';
import type { ClientVerdictRecord, DomainReport, RolloutReport, StepRecord } from './report-types';

const STATUS_MARK: Record<string, string> = {
  succeeded: '✓', planned: '◌', failed: '✗', 'not-ready': '✗', stopped: '■', running: '…', pending: '·', 'waiting-operator': '⏸',
};

/**
 * Text made safe for one Markdown line or table cell: a `|` cannot end the cell (backslashes right before it are
 * doubled so they cannot un-escape it), a line break cannot end the row (it becomes <br>), and a `<` cannot open an
 * HTML tag (the cells already use <br>, so a renderer passes HTML through).
 */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\\(?=\\*\|)/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r\n|[\r\n\v\f\u0085\u2028\u2029]/g, '<br>');
}

const escapeCell = escapeMarkdownCell;

function stepResult(step: StepRecord): string {
  return step.status === 'failed' ? `failed — ${step.error?.type}: ${step.error?.message}` : step.status === 'skipped' ? 'skipped' : step.changed ? (step.planOnly ? 'would change' : 'changed') : 'no change';
}

const stepNotes = (step: StepRecord) => [...step.changes, ...(step.detail ? [step.detail] : []), ...step.warnings.map((w) => `⚠ ${w}`)];

function stepLine(step: StepRecord): string {
  return `| ${escapeCell(step.step)} | ${escapeCell(stepResult(step))} | ${stepNotes(step).map(escapeCell).join('<br>') || '—'} |`;
}

const clientsOf = (steps: StepRecord[]) => steps.flatMap((s) => s.clients ?? []);

function clientLines(steps: StepRecord[]): string[] {
  const clients = clientsOf(steps);
  if (clients.length === 0) return [];
  return ['Client verification:', '', '| device | verdict | describes | why |', '|---|---|---|---|', ...clients.map((c) => `| ${escapeCell(c.name)} | ${escapeCell(c.assessment)} | ${escapeCell(c.describes)} | ${c.reasons.map(escapeCell).join('<br>') || '—'} |`), ''];
}

function clientTable(steps: StepRecord[]): string {
  const clients = clientsOf(steps);
  if (clients.length === 0) return '';
  const row = (c: ClientVerdictRecord) =>
    `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.assessment)}</td><td>${escapeHtml(c.describes)}</td><td>${c.reasons.map((r) => `<div>${escapeHtml(r)}</div>`).join('')}</td></tr>`;
  return `<h4>Client verification</h4><table><tr><th>device</th><th>verdict</th><th>describes</th><th>why</th></tr>${clients.map(row).join('')}</table>`;
}

function domainSection(domain: DomainReport): string[] {
  const lines = [`### ${STATUS_MARK[domain.status] ?? ''} ${domain.domain} — ${domain.status}`, '', `ring ${domain.ring} · channel ${domain.channel} · task queue ${domain.taskQueue}${domain.startedAt ? ` · ${domain.startedAt} → ${domain.finishedAt ?? '…'}` : ''}`, ''];
  if (domain.findings.length > 0) {
    lines.push('Preflight findings:', '');
    for (const f of domain.findings) lines.push(`- **${f.severity}** ${escapeCell(f.message)}`);
    lines.push('');
  }
  if (domain.sites?.length) {
    lines.push('Domain controllers that can serve cloud Kerberos trust, per site:', '', '| site | capable writable | required | writable | read-only | status |', '|---|---|---|---|---|---|');
    for (const s of domain.sites) lines.push(`| ${escapeCell(s.site)} | ${s.capableWritable} | ${s.required} | ${s.writable} | ${s.readOnly} | ${escapeCell(s.status)} |`);
    lines.push('');
  }
  if (domain.policySources) lines.push(...policyMarkdown(domain.policySources, escapeCell));
  if (domain.operatorCommand && domain.status === 'waiting-operator') {
    lines.push('Waiting for an operator to run, on the management host:', '', '```powershell', domain.operatorCommand, '```', '');
    if (domain.operatorRejection) lines.push(`Last confirmation was not accepted: ${escapeCell(domain.operatorRejection)}`, '');
  }
  if (domain.steps.length > 0) {
    lines.push('| step | result | changes and warnings |', '|---|---|---|', ...domain.steps.map(stepLine), '');
  }
  lines.push(...clientLines(domain.steps));
  return lines;
}

/** The human-readable report of a rollout or plan, as Markdown. */
export function renderMarkdown(report: RolloutReport): string {
  const counts = new Map<string, number>();
  for (const d of report.domains) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
  const lines = [
    `# cloudtrust ${report.mode === 'plan' ? 'plan' : 'rollout'} ${report.name}`,
    '',
    `- tenant: ${report.tenant}`,
    `- state: **${report.state}**${report.haltReason ? ` — ${escapeCell(report.haltReason)}` : ''}`,
    `- started ${report.startedAt}${report.finishedAt ? `, finished ${report.finishedAt}` : ''}`,
    `- spec digest: ${report.specDigest.slice(0, 12)}`,
    `- domains: ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}`,
    '',
    '## Rings',
    '',
    '| ring | status | failures / budget | approved by |',
    '|---|---|---|---|',
    ...report.rings.map((r) => `| ${escapeCell(r.name)} | ${escapeCell(r.status)} | ${r.failures} / ${r.failureBudget} | ${r.approvedBy ? escapeCell(r.approvedBy) : '—'} |`),
    '',
  ];
  lines.push(...readinessMarkdown(report, escapeCell));
  if (report.host.length > 0) lines.push('## Management host', '', '| step | result | changes and warnings |', '|---|---|---|', ...report.host.map(stepLine), '');
  if (report.conflicts.length > 0) {
    lines.push('## Tenant-wide findings', '');
    for (const f of report.conflicts) lines.push(`- **${f.severity}** ${escapeCell(f.message)}`);
    lines.push('');
  }
  lines.push('## Domains', '');
  for (const domain of report.domains) lines.push(...domainSection(domain));
  return `${lines.join('\n')}\n`;
}

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The same report as a self-contained HTML page (no scripts, every value escaped). */
export function renderHtml(report: RolloutReport): string {
  const rows = (steps: StepRecord[]) =>
    steps
      .map((s) => {
        const notes = stepNotes(s).map((n) => `<div>${escapeHtml(n)}</div>`).join('');
        return `<tr class="${escapeHtml(s.status)}"><td>${escapeHtml(s.step)}</td><td>${escapeHtml(stepResult(s))}</td><td>${notes || '—'}</td></tr>`;
      })
      .join('');
  const domains = report.domains
    .map(
      (d) => `<section><h3 class="${escapeHtml(d.status)}">${escapeHtml(d.domain)} — ${escapeHtml(d.status)}</h3>
<p>ring ${escapeHtml(d.ring)} · channel ${escapeHtml(d.channel)} · task queue ${escapeHtml(d.taskQueue)}</p>
${d.findings.length ? `<ul>${d.findings.map((f) => `<li><b>${escapeHtml(f.severity)}</b> ${escapeHtml(f.message)}</li>`).join('')}</ul>` : ''}
${d.sites?.length ? `<table><tr><th>site</th><th>capable writable</th><th>required</th><th>writable</th><th>read-only</th><th>status</th></tr>${d.sites.map((s) => `<tr class="${s.status === 'ok' ? 'ok' : 'failed'}"><td>${escapeHtml(s.site)}</td><td>${s.capableWritable}</td><td>${s.required}</td><td>${s.writable}</td><td>${s.readOnly}</td><td>${escapeHtml(s.status)}</td></tr>`).join('')}</table>` : ''}
${d.policySources ? policyHtml(d.policySources, escapeHtml) : ''}
${d.operatorCommand && d.status === 'waiting-operator' ? `<pre>${escapeHtml(d.operatorCommand)}</pre>` : ''}
${d.steps.length ? `<table><tr><th>step</th><th>result</th><th>changes and warnings</th></tr>${rows(d.steps)}</table>` : ''}${clientTable(d.steps)}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cloudtrust ${escapeHtml(report.name)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em;text-align:left;vertical-align:top}tr.failed,h3.failed,h3.not-ready{color:#a00}h3.succeeded{color:#070}pre{background:#f4f4f4;padding:.5em;white-space:pre-wrap}</style></head>
<body><h1>cloudtrust ${report.mode === 'plan' ? 'plan' : 'rollout'} ${escapeHtml(report.name)}</h1>
<p>tenant ${escapeHtml(report.tenant)} · state <b>${escapeHtml(report.state)}</b>${report.haltReason ? ` — ${escapeHtml(report.haltReason)}` : ''} · started ${escapeHtml(report.startedAt)}${report.finishedAt ? ` · finished ${escapeHtml(report.finishedAt)}` : ''}</p>
<h2>Rings</h2><table><tr><th>ring</th><th>status</th><th>failures / budget</th><th>approved by</th></tr>${report.rings.map((r) => `<tr><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.status)}</td><td>${escapeHtml(String(r.failures))} / ${escapeHtml(String(r.failureBudget))}</td><td>${escapeHtml(r.approvedBy ?? '—')}</td></tr>`).join('')}</table>
${report.host.length ? `<h2>Management host</h2><table><tr><th>step</th><th>result</th><th>changes and warnings</th></tr>${rows(report.host)}</table>` : ''}
${report.conflicts.length ? `<h2>Tenant-wide findings</h2><ul>${report.conflicts.map((f) => `<li><b>${escapeHtml(f.severity)}</b> ${escapeHtml(f.message)}</li>`).join('')}</ul>` : ''}
${readinessHtml(report, escapeHtml)}<h2>Domains</h2>
${domains}
</body></html>
`;
}
