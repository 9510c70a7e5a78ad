import { MAX_CLOCK_SKEW_SECONDS } from './hooks';

/**
 * The deliveries accepted while their timestamp is still inside the accepted window, so a captured delivery replayed
 * within that window is refused rather than run again. A delivery is remembered only once its action has started: a
 * sender retrying a delivery that failed is not refused. Kept in memory; after a restart the timestamp window alone
 * limits replays.
 */
export class HookDeliveries {
  private readonly accepted = new Map<string, { at: Date; forgetAfterMs: number }>();

  /** When this delivery was accepted before, if it was. */
  acceptedAt(hook: string, signature: string, nowMs = Date.now()): Date | undefined {
    for (const [key, entry] of this.accepted) if (entry.forgetAfterMs <= nowMs) this.accepted.delete(key);
    return this.accepted.get(`${hook}\n${signature}`)?.at;
  }

  remember(hook: string, signature: string, timestampSeconds: number, nowMs = Date.now()): void {
    this.accepted.set(`${hook}\n${signature}`, { at: new Date(nowMs), forgetAfterMs: (timestampSeconds + MAX_CLOCK_SKEW_SECONDS) * 1000 + 1000 });
  }
}
