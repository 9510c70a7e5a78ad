import type { Client } from '@temporalio/client';
import type { RolloutReport } from '../../model/report-types';
import { followRollout, rolloutEnded, watchRollout } from '../follow';
import type { Io } from '../io';
import { rolloutView } from '../render/rollout-view';
import { onInterrupt } from './interrupt';
import { drawProgress, emitProgress, type WatchProgress } from './progress';

/**
 * Follows a rollout until it ends, in the form the output wants: a table redrawn in place on a terminal, NDJSON
 * snapshots with --json (then the final report), plain lines otherwise. Returns the final report.
 */
export async function followRolloutLive(io: Io, client: Client, id: string): Promise<RolloutReport> {
  const watch: WatchProgress<RolloutReport> = (onReport, intervalMs) => watchRollout(client, id, onReport, intervalMs);
  if (io.json) return emitProgress(io, id, watch, rolloutEnded);
  if (io.interactive) return drawProgress(io, id, watch, (snapshot) => rolloutView(snapshot, id, io.style));
  const release = onInterrupt(io, id, () => undefined);
  try {
    return await followRollout(client, id, {
      write: (line) => io.out(line),
      onApprovalWanted: async (ring) => io.out(`ring ${ring} waits for approval; run: cloudtrust approve ${id} --ring ${ring}`),
    });
  } finally {
    release();
  }
}
