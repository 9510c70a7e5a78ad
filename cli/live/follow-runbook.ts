import type { Client } from '@temporalio/client';
import type { RunbookReport } from '../../model/report-types';
import { runbookProgressQuery } from '../../workflows/runbook-messages';
import { watchRun } from '../follow';
import type { Io } from '../io';
import { runbookView } from '../render/runbook-view';
import { onInterrupt } from './interrupt';
import { LiveRegion } from './region';

/** Follows a runbook (rotate-keys, rollback) until it closes, like followRolloutLive; returns its final report. */
export async function followRunbookLive(io: Io, client: Client, id: string): Promise<RunbookReport> {
  const query = () => client.workflow.getHandle(id).query(runbookProgressQuery);
  const never = () => false;
  if (io.json) {
    let last = '';
    const report = await watchRun(client, id, query, never, (snapshot) => {
      const text = JSON.stringify(snapshot);
      if (text !== last && snapshot.state !== 'completed') io.emitLine({ event: 'progress', id, report: snapshot });
      last = text;
    });
    io.emitLine({ event: 'final', id, report });
    return report;
  }
  if (io.interactive) {
    const region = new LiveRegion(io);
    const release = onInterrupt(io, id, () => region.finish());
    try {
      const report = await watchRun(client, id, query, never, (snapshot) => region.draw(runbookView(snapshot, id, io.style)), 1000);
      region.clear();
      return report;
    } finally {
      region.finish();
      release();
    }
  }
  const release = onInterrupt(io, id, () => undefined);
  const seen = new Map<string, string>();
  try {
    return await watchRun(client, id, query, never, (snapshot) => {
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
