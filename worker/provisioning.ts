import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/** What cloudtrust provisions for itself (the Temporal CLI, PowerShell 7) goes under one per-user cache, outside the repo. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CLOUDTRUST_CACHE_DIR?.trim() || path.join(env.XDG_CACHE_HOME?.trim() || path.join(os.homedir(), '.cache'), 'cloudtrust'));
}

export async function findOnPath(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const names = process.platform === 'win32' ? [`${command}.exe`, command] : [command];
  const directories = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  for (const directory of directories) {
    for (const name of names) {
      const candidate = path.resolve(directory, name);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export async function isExecutableFile(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function exeName(name: string): string {
  return process.platform === 'win32' ? `${name}.exe` : name;
}

export function elapsedSeconds(since: number): number {
  return Math.round((Date.now() - since) / 1000);
}

export interface InstallLock {
  /** The lock file (created with O_EXCL). */
  file: string;
  /** What is being installed, for the waiting message. */
  what: string;
  staleMs: number;
  /** True once the thing is there (another process finished it while we waited). */
  done: () => Promise<boolean>;
  log: (line: string) => void;
}

const LOCK_POLL_MS = 500;
const NOTICE_INTERVAL_MS = 15_000;

/**
 * Runs `install` while holding `lock.file`, so two processes never install into the same place at once; a waiter
 * returns as soon as the other process's install is done. A lock older than `staleMs` was left by a dead process.
 */
export async function underInstallLock(lock: InstallLock, install: () => Promise<void>): Promise<void> {
  await mkdir(path.dirname(lock.file), { recursive: true });
  const waitStarted = Date.now();
  let lastNotice = waitStarted;
  while (!(await tryLock(lock.file))) {
    if (await lock.done()) return;
    if (await isOlderThan(lock.file, lock.staleMs)) {
      lock.log(`Removing a stale ${lock.what} install lock older than ${Math.round(lock.staleMs / 60_000)} minutes: ${lock.file}`);
      await rm(lock.file, { force: true });
      continue;
    }
    if (Date.now() - lastNotice >= NOTICE_INTERVAL_MS) {
      lastNotice = Date.now();
      lock.log(`Waiting for another process to finish installing ${lock.what} (${elapsedSeconds(waitStarted)}s; lock ${lock.file})...`);
    }
    await sleep(LOCK_POLL_MS);
  }
  try {
    // The lock holder before us may have finished just before we took the lock.
    if (await lock.done()) return;
    await install();
  } finally {
    await rm(lock.file, { force: true });
  }
}

async function tryLock(lockFile: string): Promise<boolean> {
  try {
    await writeFile(lockFile, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function isOlderThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > ms;
  } catch {
    return false;
  }
}

export interface InstallCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  log: (line: string) => void;
  /** Logged every 15 s while it runs, with the time elapsed: "still installing PowerShell". */
  progress: string;
}

const PROGRESS_INTERVAL_MS = 15_000;
const KEPT_LINES = 30;

/**
 * Runs an installer (go install, dotnet tool install, dotnet restore), streaming its output lines to `log`, with a
 * progress line every 15 s. Resolves with why it failed (undefined when it exited 0) and its last 30 lines.
 */
export async function runInstallCommand(install: InstallCommand): Promise<{ failure?: string; lastLines: string }> {
  const started = Date.now();
  const recent: string[] = [];
  const ticker = setInterval(() => install.log(`${install.progress} (${elapsedSeconds(started)}s elapsed)...`), PROGRESS_INTERVAL_MS);
  try {
    const child = spawn(install.command, install.args, { cwd: install.cwd, env: install.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        recent.push(line);
        if (recent.length > KEPT_LINES) recent.shift();
        install.log(line);
      });
    }
    const failure = await new Promise<string | undefined>((resolve) => {
      child.once('error', (error) => resolve(`could not run ${install.command}: ${error.message}`));
      child.once('close', (code, signal) => resolve(code === 0 ? undefined : signal ? `was killed by ${signal}` : `exited with code ${code}`));
    });
    return { failure, lastLines: recent.join('\n') || '(none)' };
  } finally {
    clearInterval(ticker);
  }
}
