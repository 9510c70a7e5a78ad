import type { Client } from '@temporalio/client';
import type { RunbookReport } from '../../model/report-types';
import { withCurrentStepNames } from '../../model/step-names';
import { runbookProgressQuery } from '../../workflows/runbook-messages';
import { watchRun } from '../follow';
import type { Io } from '../io';
import { runbookView } from '../render/runbook-view';
import { onInterrupt } from './interrupt';
import { drawProgress, emitProgress, type WatchProgress } from './progress';

/** Follows a runbook (rotate-keys, rollback) until it closes, like followRolloutLive; returns its final report. */
export async function followRunbookLive(io: Io, client: Client, id: string): Promise<RunbookReport> {
  const query = async () => withCurrentStepNames(await client.workflow.getHandle(id).query(runbookProgressQuery));
  const never = () => false;
  const watch: WatchProgress<RunbookReport> = (onReport, intervalMs) => watchRun(client, id, query, never, onReport, intervalMs);
  if (io.json) return emitProgress(io, id, watch, (snapshot) => snapshot.state === 'completed');
  // The command prints the full report once the runbook has closed: the live table goes.
  if (io.interactive) return drawProgress(io, id, watch, (snapshot) => runbookView(snapshot, id, io.style), true);
  const release = onInterrupt(io, id, () => undefined);
  const seen = new Map<string, string>();
  try {
    return await watch((snapshot) => {
      for (const d of snapshot.domains) {
        const key = `${d.status}|${d.step ?? ''}|${d.steps.length}`;
        if (seen.get(d.domain) === key || d.status === 'pending') continue;
        seen.set(d.domain, key);
        io.out(`  ${d.domain.padEnd(32)} ${d.status.padEnd(15)} ${d.step ?? ''}`);
      }
    });
  } finally {
    release();
  }
}
