import type { RolloutReport } from '../model/report-types';
import { EXIT } from './exit-codes';

/** 0 when the rollout or plan completed with no failed domain, 1 when it halted, was cancelled or a domain failed. */
export function rolloutExitCode(report: RolloutReport): number {
  return report.state === 'completed' && !report.domains.some((d) => d.status === 'failed') ? EXIT.ok : EXIT.endedBadly;
}

/** One line on how a rollout ended. */
export function rolloutOutcomeLine(report: RolloutReport): string {
  const count = (status: string) => report.domains.filter((d) => d.status === status).length;
  const parts = [
    `${count(report.mode === 'plan' ? 'planned' : 'succeeded')} of ${report.domains.length} domains ${report.mode === 'plan' ? 'planned' : 'rolled out'}`,
    count('not-ready') > 0 ? `${count('not-ready')} not ready` : '',
    count('failed') > 0 ? `${count('failed')} failed` : '',
    count('stopped') > 0 ? `${count('stopped')} stopped` : '',
  ].filter(Boolean);
  return `${report.mode === 'plan' ? 'plan' : 'rollout'} ${report.name} ${report.state}: ${parts.join(', ')}${report.haltReason ? ` (${report.haltReason})` : ''}`;
}
