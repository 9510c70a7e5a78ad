import { MAX_CLOCK_SKEW_SECONDS } from './hooks';

/**
 * The deliveries accepted while their timestamp is still inside the accepted window, so a captured delivery replayed
 * within that window is refused rather than run again. A delivery is reserved as it arrives, before anything awaits,
 * so two identical deliveries arriving together cannot both run; the reservation is released when the delivery
 * fails, so a sender retrying a delivery that failed is not refused. Kept in memory; after a restart the timestamp
 * window alone limits replays.
 */
export class HookDeliveries {
  private readonly reserved = new Map<string, { at: Date; forgetAfterMs: number }>();

  /**
   * Reserves this delivery for the caller: true when it is new, false when it was reserved (accepted, or still
   * running) before. Synchronous: call it before the first await of a delivery.
   */
  reserve(hook: string, signature: string, timestampSeconds: number, nowMs = Date.now()): boolean {
    this.sweep(nowMs);
    const key = deliveryKey(hook, signature);
    if (this.reserved.has(key)) return false;
    this.reserved.set(key, { at: new Date(nowMs), forgetAfterMs: (timestampSeconds + MAX_CLOCK_SKEW_SECONDS) * 1000 + 1000 });
    return true;
  }

  /** Gives up a reservation whose delivery failed, so the sender may retry it. */
  release(hook: string, signature: string): void {
    this.reserved.delete(deliveryKey(hook, signature));
  }

  /** When this delivery was reserved, if it is. */
  reservedAt(hook: string, signature: string, nowMs = Date.now()): Date | undefined {
    this.sweep(nowMs);
    return this.reserved.get(deliveryKey(hook, signature))?.at;
  }

  private sweep(nowMs: number): void {
    for (const [key, entry] of this.reserved) if (entry.forgetAfterMs <= nowMs) this.reserved.delete(key);
  }
}

const deliveryKey = (hook: string, signature: string) => `${hook}\n${signature}`;
