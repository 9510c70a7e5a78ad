import { runStep } from '../../activities/bridge/run-step';
import { fixtures } from './fixture-steps';
import { pwshPool } from './pool-fixture';

/** The most calls that were running at one instant, from each call's start and end as PowerShell saw them. */
function maxOverlap(calls: { startedAt: number; endedAt: number }[]): number {
  const events = calls.flatMap((c) => [{ at: c.startedAt, delta: 1 }, { at: c.endedAt, delta: -1 }]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let most = 0;
  for (const event of events) most = Math.max(most, (running += event.delta));
  return most;
}

describe('concurrency across the pool', () => {
  test('calls run in parallel on distinct processes, bounded by the pool size', async () => {
    const pool = pwshPool(3);
    try {
      await pool.warm();
      const results = await Promise.all(Array.from({ length: 6 }, () => runStep(pool, fixtures.slow, { milliseconds: 1_000 })));
      expect(new Set(results.map((r) => r.result.pid)).size).toBe(3);
      expect(maxOverlap(results.map((r) => r.result))).toBe(3);
    } finally {
      await pool.close();
    }
  });
});
