import { hostModules } from '../steps/contract';
import { BridgeError } from './errors';
import type { ExecutableConfig } from './executable';
import type { HostModule, HostScript } from './protocol';
import { PowerShellSession, type CallOptions, type CallOutcome } from './session';

export interface PoolOptions {
  executable: ExecutableConfig;
  scripts: HostScript[];
  /** The helper modules every process loads; default: all of them (HOST_MODULES), hashed when the pool is created. */
  modules?: HostModule[];
  /** Modules every process imports once when it starts (warm-up; a failure is a warning, not a dead process). */
  imports?: string[];
  /** Number of warm PowerShell processes, which is also the number of calls that run at once. */
  size: number;
  /** A process is replaced after this many calls, to bound what a long-lived runspace accumulates. */
  recycleAfterCalls?: number;
  startTimeoutMs?: number;
}

export interface PoolStats {
  size: number;
  live: number;
  busy: number;
  waiting: number;
  started: number;
  replaced: number;
}

/** A warm pool of PowerShell sessions; dead or killed sessions are dropped and replaced on demand. */
export class PowerShellPool {
  private readonly sessions = new Set<PowerShellSession>();
  private readonly idle: PowerShellSession[] = [];
  private readonly waiters: Array<(session: PowerShellSession | Error) => void> = [];
  private starting = 0;
  private started = 0;
  private replaced = 0;
  private closed = false;
  private readonly modules: HostModule[];

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new Error(`pool size must be a positive integer; got ${options.size}`);
    this.modules = options.modules ?? hostModules();
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

  /** The process ids of live sessions (for diagnostics and tests). */
  pids(): number[] {
    return [...this.sessions].filter((s) => s.alive).map((s) => s.pid);
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
      const session = await PowerShellSession.start(this.options.executable, this.options.scripts, { timeoutMs: this.options.startTimeoutMs ?? 60_000, modules: this.modules, imports: this.options.imports });
      this.sessions.add(session);
      this.started += 1;
      return session;
    } finally {
      this.starting -= 1;
    }
  }
}
