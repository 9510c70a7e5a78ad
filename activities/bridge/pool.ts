import { hostModules, type StepEdition } from '../steps/contract';
import { BridgeError } from './errors';
import { EDITION_NAMES, type ExecutableConfig, type PowerShellEdition } from './executable';
import type { HostModule, HostScript } from './protocol';
import { PowerShellSession, type CallOptions, type CallOutcome } from './session';

export interface PoolOptions {
  executable: ExecutableConfig;
  scripts: HostScript[];
  /** The helper modules every process loads; default: all of them (HOST_MODULES), hashed when the pool is created. */
  modules?: HostModule[];
  /** Modules every process imports once when it starts (warm-up; a failure is a warning, not a dead process). */
  imports?: string[];
  /** Told of what a process warned about while it started (a warm-up import that failed), once per process. */
  onStartWarnings?: (pid: number, warnings: readonly string[]) => void;
  /** Number of warm PowerShell processes per edition, which is also the number of calls of an edition that run at once. */
  size: number;
  /** A process is replaced after this many calls, to bound what a long-lived runspace accumulates. */
  recycleAfterCalls?: number;
  startTimeoutMs?: number;
}

export interface PoolCallOptions extends CallOptions {
  /** The edition the step needs (its contract's); absent or 'any': the processes of the main executable. */
  edition?: StepEdition;
}

export interface PoolStats {
  size: number;
  live: number;
  busy: number;
  waiting: number;
  started: number;
  replaced: number;
}

/**
 * A warm pool of PowerShell sessions with one set of processes per edition: a step runs in the set of the edition
 * its contract needs (the Kerberos module's steps in Windows PowerShell 5.1), any other step in the main
 * executable's set. Sets start lazily; warm() starts the main one.
 */
export class PowerShellPool {
  private readonly sets = new Map<PowerShellEdition, ProcessSet>();
  private readonly main: ProcessSet;

  constructor(options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new Error(`pool size must be a positive integer; got ${options.size}`);
    const modules = options.modules ?? hostModules();
    for (let config: ExecutableConfig | undefined = options.executable; config; config = config.otherEdition) {
      if (!this.sets.has(config.edition)) this.sets.set(config.edition, new ProcessSet({ ...options, executable: config, modules }));
    }
    this.main = this.sets.get(options.executable.edition)!;
  }

  /** Starts every process of the main set now (or of the editions given) so the first calls do not pay for start-up. */
  async warm(editions?: readonly PowerShellEdition[]): Promise<void> {
    const sets = editions ? editions.map((edition) => this.sets.get(edition)).filter((set): set is ProcessSet => set !== undefined) : [this.main];
    await Promise.all(sets.map((set) => set.warm()));
  }

  async run(scriptId: string, args: unknown, options: PoolCallOptions): Promise<CallOutcome> {
    const edition = options.edition ?? 'any';
    const set = edition === 'any' ? this.main : this.sets.get(edition);
    if (!set) {
      const hint = edition === 'desktop' ? 'set CLOUDTRUST_WINDOWS_POWERSHELL (or CLOUDTRUST_POWERSHELL=powershell)' : 'set CLOUDTRUST_POWERSHELL=pwsh';
      throw new BridgeError('Unsupported', `${scriptId}: needs ${edition === 'desktop' ? 'Windows PowerShell 5.1' : 'PowerShell 7'}, and none is configured: ${hint}`);
    }
    return set.run(scriptId, args, options);
  }

  stats(): PoolStats {
    const all = [...this.sets.values()].map((set) => set.stats());
    const sum = (key: keyof PoolStats) => all.reduce((total, stats) => total + stats[key], 0);
    return { size: this.main.stats().size, live: sum('live'), busy: sum('busy'), waiting: sum('waiting'), started: sum('started'), replaced: sum('replaced') };
  }

  /** The process ids of live sessions (for diagnostics and tests). */
  pids(): number[] {
    return [...this.sets.values()].flatMap((set) => set.pids());
  }

  /** What each live process reported when it started, its edition the one it is (or, in the lab, stands for). */
  hostInfos(): Record<string, unknown>[] {
    return [...this.sets.values()].flatMap((set) => set.hostInfos());
  }

  async close(): Promise<void> {
    await Promise.all([...this.sets.values()].map((set) => set.close()));
  }
}

/** The processes of one executable (one edition); dead or killed sessions are dropped and replaced on demand. */
class ProcessSet {
  private readonly sessions = new Set<PowerShellSession>();
  private readonly idle: PowerShellSession[] = [];
  private readonly waiters: Array<(session: PowerShellSession | Error) => void> = [];
  private starting = 0;
  private started = 0;
  private replaced = 0;
  private closed = false;
  private readonly modules: HostModule[];

  constructor(private readonly options: PoolOptions & { modules: HostModule[] }) {
    this.modules = options.modules;
  }

  /** Starts every process now so the first calls do not pay for start-up. */
  async warm(): Promise<void> {
    const missing = this.options.size - this.sessions.size - this.starting;
    const fresh = await Promise.all(Array.from({ length: Math.max(0, missing) }, () => this.spawn()));
    for (const session of fresh) this.release(session);
  }

  async run(scriptId: string, args: unknown, options: CallOptions): Promise<CallOutcome> {
    const session = await this.acquire(options.signal);
    try {
      return await session.call(scriptId, args, options);
    } finally {
      this.release(session);
    }
  }

  stats(): PoolStats {
    const live = [...this.sessions].filter((s) => s.alive).length;
    return { size: this.options.size, live, busy: live - this.idle.length, waiting: this.waiters.length, started: this.started, replaced: this.replaced };
  }

  pids(): number[] {
    return [...this.sessions].filter((s) => s.alive).map((s) => s.pid);
  }

  hostInfos(): Record<string, unknown>[] {
    return [...this.sessions].filter((s) => s.alive).map((s) => s.hostInfo);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(new BridgeError('HostCrashed', 'the PowerShell pool is shutting down'));
    await Promise.all([...this.sessions].map((s) => s.dispose()));
    this.sessions.clear();
    this.idle.length = 0;
  }

  private async acquire(signal?: AbortSignal): Promise<PowerShellSession> {
    if (this.closed) throw new BridgeError('HostCrashed', 'the PowerShell pool is closed');
    for (;;) {
      const session = this.idle.shift();
      if (!session) break;
      if (session.idle) return session;
      this.drop(session);
    }
    if (this.sessions.size + this.starting < this.options.size) return this.spawn();
    return new Promise<PowerShellSession>((resolve, reject) => {
      const waiter = (outcome: PowerShellSession | Error) => {
        signal?.removeEventListener('abort', onAbort);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new BridgeError('Cancelled', 'cancelled while waiting for a free PowerShell process'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private release(session: PowerShellSession): void {
    const worn = this.options.recycleAfterCalls !== undefined && session.calls >= this.options.recycleAfterCalls;
    if (!session.alive || worn || this.closed) {
      this.drop(session);
      this.serveWaiterWithNewSession();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter(session);
    else this.idle.push(session);
  }

  private drop(session: PowerShellSession): void {
    if (this.sessions.delete(session)) this.replaced += 1;
    void session.dispose();
  }

  private serveWaiterWithNewSession(): void {
    if (this.closed || this.waiters.length === 0 || this.sessions.size + this.starting >= this.options.size) return;
    const waiter = this.waiters.shift()!;
    this.spawn().then(waiter, waiter);
  }

  private async spawn(): Promise<PowerShellSession> {
    this.starting += 1;
    try {
      const session = await PowerShellSession.start(this.options.executable, this.options.scripts, {
        timeoutMs: this.options.startTimeoutMs ?? 60_000,
        modules: this.modules,
        imports: this.options.imports,
      });
      try {
        checkEdition(session, this.options.executable);
      } catch (error) {
        await session.dispose();
        throw error;
      }
      this.sessions.add(session);
      this.started += 1;
      if (session.hostWarnings.length > 0) this.options.onStartWarnings?.(session.pid, session.hostWarnings);
      return session;
    } finally {
      this.starting -= 1;
    }
  }
}

/**
 * The process is the edition its set is for: a real one must say so ($PSVersionTable.PSEdition); a lab one (all
 * PowerShell 7) reports the edition it stands for, and the one it runs as in runtimeEdition.
 */
function checkEdition(session: PowerShellSession, executable: ExecutableConfig): void {
  const expected = EDITION_NAMES[executable.edition];
  const actual = String(session.hostInfo.edition ?? '');
  if (executable.kind === 'lab') {
    session.hostInfo = { ...session.hostInfo, edition: expected, runtimeEdition: actual };
    return;
  }
  if (actual !== expected) {
    throw new BridgeError('Unsupported', `the PowerShell for ${expected === 'Desktop' ? 'Windows PowerShell 5.1 (CLOUDTRUST_WINDOWS_POWERSHELL)' : 'PowerShell 7'} steps reports edition ${actual || 'unknown'}, not ${expected}`);
  }
}
