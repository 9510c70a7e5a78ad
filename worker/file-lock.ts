import { mkdir, rm, stat } from 'node:fs/promises';

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` while holding a lock directory (mkdir is atomic on every platform), so read-modify-write of a local
 * state file is serialised across processes. A lock older than 30 s is taken to be left by a dead process.
 */
export async function withFileLock<T>(lockDir: string, what: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const age = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > LOCK_STALE_MS) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${what} stayed locked for ${LOCK_WAIT_MS / 1000} s (${lockDir})`);
    await sleep(Math.min(50, 2 + attempt) + Math.random() * 10);
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
