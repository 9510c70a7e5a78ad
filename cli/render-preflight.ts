import type { PreflightReport } from '../workflows/preflight';

const MARK = { blocker: '✗', warning: '!', info: '·' } as const;

/** Human-readable lines for one domain's preflight. */
export function renderPreflight(report: PreflightReport): string[] {
  const lines = [`${report.ready ? '✓ ready    ' : '✗ not ready'}  ${report.domain}  (forest ${report.forest})`];
  for (const dc of report.controllers) {
    lines.push(`    ${dc.isReadOnly ? 'RODC' : 'DC  '}  ${dc.hostName.padEnd(36)} ${dc.site.padEnd(14)} ${dc.build.padEnd(12)} ${dc.status}`);
  }
  for (const finding of report.findings) lines.push(`    ${MARK[finding.severity]} ${finding.severity}: ${finding.message}`);
  for (const warning of report.warnings) lines.push(`    ! warning: ${warning}`);
  return lines;
}
