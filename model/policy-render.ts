import type { PolicyPicture } from './policy-conflicts';

type Escape = (text: string) => string;

const readText = (picture: PolicyPicture) =>
  (['gpo', 'intune'] as const).map((c) => `${c === 'gpo' ? 'Group Policy' : 'Intune'} ${picture.read[c].status}${picture.read[c].note ? ` (${picture.read[c].note})` : ''}`).join(' · ');

const entryText = (e: PolicyPicture['settings'][number]['entries'][number]) => `${e.source}${e.ours ? ' (this rollout)' : ''}, ${e.scope}: ${e.value}`;

const elsewhere = (picture: PolicyPicture) => picture.sources.filter((s) => s.reach === 'none');

/** The "Policy sources" part of a domain's Markdown section: per setting, which sources set it and to what. */
export function policyMarkdown(picture: PolicyPicture, escape: Escape): string[] {
  const lines = ['Policy sources:', '', `read: ${escape(readText(picture))}`, '', '| setting | sources (scope: value) |', '|---|---|'];
  for (const row of picture.settings) lines.push(`| ${row.setting} | ${row.entries.map((e) => escape(entryText(e))).join('<br>') || 'not set'} |`);
  lines.push('');
  const other = elsewhere(picture);
  if (other.length > 0) lines.push(`Not on these devices: ${other.map((s) => escape(`${s.name} (${s.reachNote})`)).join('; ')}`, '');
  return lines;
}

/** The same as an HTML fragment. */
export function policyHtml(picture: PolicyPicture, escape: Escape): string {
  const rows = picture.settings.map((row) => `<tr><td>${escape(row.setting)}</td><td>${row.entries.map((e) => `<div>${escape(entryText(e))}</div>`).join('') || 'not set'}</td></tr>`).join('');
  const other = elsewhere(picture);
  return `<h4>Policy sources</h4><p>${escape(readText(picture))}</p><table><tr><th>setting</th><th>sources (scope: value)</th></tr>${rows}</table>${other.length ? `<p>Not on these devices: ${escape(other.map((s) => `${s.name} (${s.reachNote})`).join('; '))}</p>` : ''}`;
}
