export interface WaitOptions {
  /** Default 30 s. */
  timeoutMs?: number;
  /** Between reads; default 200 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout's message. */
  what?: string;
}

/** Reads until `done` holds for what was read, and returns that; fails after the timeout with the last value read. */
export async function waitUntil<T>(read: () => T | Promise<T>, done: (value: T) => boolean, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 200, what = 'the condition' } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      const last = typeof value === 'boolean' || value === undefined ? '' : `; last read: ${String(JSON.stringify(value)).slice(0, 500)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Until `check` is true. */
export async function waitFor(check: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  await waitUntil(check, (ok) => ok, options);
}

/** Until `probe` finds something, and returns it. */
export async function waitForValue<T>(probe: () => Promise<T | undefined>, options: WaitOptions = {}): Promise<T> {
  return (await waitUntil(probe, (value) => value !== undefined, options)) as T;
}
