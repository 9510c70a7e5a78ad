import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderHtml, renderMarkdown } from '../model/report-render';
import type { RolloutReport } from '../model/report-types';

/** Writes the report as Markdown, HTML and JSON under <data dir>/reports; returns the Markdown path. */
export async function writeReportFiles(dataDir: string, report: RolloutReport): Promise<{ markdown: string; html: string; json: string }> {
  const dir = path.join(dataDir, 'reports');
  await mkdir(dir, { recursive: true });
  const stamp = (report.finishedAt ?? report.startedAt).replace(/[:.]/g, '-');
  const base = path.join(dir, `${report.mode}-${report.name}-${stamp}`);
  const files = { markdown: `${base}.md`, html: `${base}.html`, json: `${base}.json` };
  await writeFile(files.markdown, renderMarkdown(report));
  await writeFile(files.html, renderHtml(report));
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  return files;
}
