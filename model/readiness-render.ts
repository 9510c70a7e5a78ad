import type { RolloutReport } from './report-types';
import type { DomainReadiness } from './user-readiness';

/** The "User readiness" section of a report: per ring and domain, who will fail to sign in with cloud trust, and why. */

type Escape = (text: string) => string;

function summary(d: DomainReadiness): string {
  if (d.error) return `not checked — ${d.error}`;
  const bounded = d.checked < d.totalUsers ? ` (first ${d.checked} of ${d.totalUsers} checked)` : '';
  return `${d.ready} of ${d.checked} users ready, ${d.failingCount} will fail${bounded}${d.entraChecked ? '' : '; Entra attributes not checked'}`;
}

export function readinessMarkdown(report: RolloutReport, escape: Escape): string[] {
  const rings = report.rings.filter((r) => r.readiness && r.readiness.length > 0);
  if (rings.length === 0) return [];
  const lines = ['## User readiness', ''];
  for (const ring of rings) {
    for (const d of ring.readiness!) {
      lines.push(`### ring ${escape(ring.name)} · ${escape(d.domain)}`, '', `- ${escape(summary(d))}`);
      if (d.policy) lines.push(`- AzureADKerberos password replication policy${d.policy.present ? '' : ' (the default the object will get)'}: allowed ${escape(d.policy.allowed.join(', ') || '—')}; denied ${escape(d.policy.denied.join(', ') || '—')}`);
      for (const g of d.groups) {
        const state = !g.found ? 'not found' : g.deniedVia ? `**denied** (${g.deniedVia})` : g.deniedUsers > 0 ? `${users(g.deniedUsers)} denied` : 'not denied';
        lines.push(`- group ${escape(g.name)}: ${users(g.users)}, ${escape(state)}`);
      }
      if (d.failing.length > 0) {
        lines.push('', '| user | why it will fail |', '|---|---|');
        for (const u of d.failing) lines.push(`| ${escape(u.userPrincipalName ?? u.samAccountName)} | ${u.reasons.map(escape).join('<br>')} |`);
        if (d.failingCount > d.failing.length) lines.push('', `… and ${d.failingCount - d.failing.length} more`);
      }
      lines.push('');
    }
  }
  return lines;
}

export function readinessHtml(report: RolloutReport, escape: Escape): string {
  const rings = report.rings.filter((r) => r.readiness && r.readiness.length > 0);
  if (rings.length === 0) return '';
  const sections = rings.flatMap((ring) =>
    ring.readiness!.map((d) => {
      const rows = d.failing.map((u) => `<tr><td>${escape(u.userPrincipalName ?? u.samAccountName)}</td><td>${u.reasons.map((r) => `<div>${escape(r)}</div>`).join('')}</td></tr>`).join('');
      const more = d.failingCount > d.failing.length ? `<p>… and ${d.failingCount - d.failing.length} more</p>` : '';
      return `<section><h3>ring ${escape(ring.name)} · ${escape(d.domain)}</h3><p>${escape(summary(d))}</p>${rows ? `<table><tr><th>user</th><th>why it will fail</th></tr>${rows}</table>` : ''}${more}</section>`;
    }),
  );
  return `<h2>User readiness</h2>\n${sections.join('\n')}\n`;
}

const users = (n: number) => `${n} user${n === 1 ? '' : 's'}`;
