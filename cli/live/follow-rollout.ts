import type { Client } from '@temporalio/client';
import type { RolloutReport } from '../../model/report-types';
import { followRollout, watchRollout } from '../follow';
import type { Io } from '../io';
import { rolloutView } from '../render/rollout-view';
import { onInterrupt } from './interrupt';
import { LiveRegion } from './region';

/**
 * Follows a rollout until it ends, in the form the output wants: a table redrawn in place on a terminal, NDJSON
 * snapshots with --json (then the final report), plain lines otherwise. Returns the final report.
 */
export async function followRolloutLive(io: Io, client: Client, id: string): Promise<RolloutReport> {
  if (io.json) {
    let last = '';
    const report = await watchRollout(client, id, (snapshot) => {
      const text = JSON.stringify(snapshot);
      if (text !== last && snapshot.state !== 'completed' && snapshot.state !== 'halted' && snapshot.state !== 'cancelled') io.emitLine({ event: 'progress', id, report: snapshot });
      last = text;
    });
    io.emitLine({ event: 'final', id, report });
    return report;
  }
  if (io.interactive) {
    const region = new LiveRegion(io);
    const release = onInterrupt(io, id, () => region.finish());
    try {
      return await watchRollout(client, id, (snapshot) => region.draw(rolloutView(snapshot, id, io.style)), 1000);
    } finally {
      region.finish();
      release();
    }
  }
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
