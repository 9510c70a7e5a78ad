import type { Io } from '../io';
import { onInterrupt } from './interrupt';
import { LiveRegion } from './region';

/** Watches a run: `onReport` gets every snapshot of its progress; resolves with the final report. */
export type WatchProgress<R> = (onReport: (report: R) => void, intervalMs?: number) => Promise<R>;

/** --json: an NDJSON `progress` line for every snapshot that differs from the one before and is not final, then the `final` report. */
export async function emitProgress<R>(io: Io, id: string, watch: WatchProgress<R>, isFinal: (report: R) => boolean): Promise<R> {
  let last = '';
  const report = await watch((snapshot) => {
    const text = JSON.stringify(snapshot);
    if (text !== last && !isFinal(snapshot)) io.emitLine({ event: 'progress', id, report: snapshot });
    last = text;
  });
  io.emitLine({ event: 'final', id, report });
  return report;
}

/**
 * On a terminal: `view` of every snapshot, redrawn in place once a second; Ctrl-C stops following. The last frame
 * stays on screen unless `clearAtEnd` (for a caller that prints the final report itself).
 */
export async function drawProgress<R>(io: Io, id: string, watch: WatchProgress<R>, view: (report: R) => string[], clearAtEnd = false): Promise<R> {
  const region = new LiveRegion(io);
  const release = onInterrupt(io, id, () => region.finish());
  try {
    const report = await watch((snapshot) => region.draw(view(snapshot)), 1000);
    if (clearAtEnd) region.clear();
    return report;
  } finally {
    region.finish();
    release();
  }
}
