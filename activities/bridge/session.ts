import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PowerShell } from 'node-powershell';
import { hostModules } from '../steps/contract';
import { BridgeError } from './errors';
import { envelopeSchema, type Envelope } from './envelope';
import type { ExecutableConfig, PreparedExecutable } from './executable';
import { dispatcherPath } from './paths';
import { buildBootstrapLine, buildCallLines, extractEnvelope, LANGUAGE_MODE_MARKER, newCallId, toBase64Json, type HostModule, type HostScript } from './protocol';
import { redact } from './redact';
import { logScriptRun } from './script-log';

/** node-powershell internals this wrapper has to reach to contain its failure modes. */
interface ShellInternals {
  exitPromise: Promise<void>;
  process: ChildProcess;
  debuggers: Record<'comment' | 'command' | 'output', (...args: unknown[]) => void>;
}

export interface CallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Values to mask in anything this call reports (error text, stray output). */
  secrets?: readonly string[];
}

export interface CallOutcome {
  envelope: Envelope;
  /** Console text outside the frame (stray output) and stderr, for diagnostics; already redacted. */
  noise: string;
  durationMs: number;
  pid: number;
}

type KillReason = 'timeout' | 'cancelled' | 'disposed' | 'retired';

const silent = () => undefined;
const EXCERPT = 2000;
const FRAME_GRACE_MS = 2_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Watches raw stdout for this call's frame, independently of node-powershell's delimiter accounting. */
class FrameCapture {
  text = '';
  private readonly prefix: string;
  private found = false;
  private start = -1;
  private resolve!: () => void;
  readonly complete = new Promise<void>((resolve) => (this.resolve = resolve));

  constructor(callId: string) {
    this.prefix = `<<cloudtrust:${callId}:`;
  }

  push(chunk: string): void {
    const before = this.text.length;
    this.text += chunk;
    if (this.found) return;
    if (LANGUAGE_MODE_MARKER.test(this.text)) {
      this.found = true;
      this.resolve();
      return;
    }
    if (this.start < 0) {
      this.start = this.text.indexOf(this.prefix, Math.max(0, before - this.prefix.length));
      if (this.start < 0) return;
    }
    if (this.text.indexOf('>>', Math.max(this.start + this.prefix.length, before - 1)) >= 0) {
      this.found = true;
      this.resolve();
    }
  }
}

/**
 * One long-lived PowerShell process driven through node-powershell, with its defaults fixed:
 * -NoProfile -NonInteractive; stderr is data, not failure; no command history is kept; node-powershell's
 * debug output (which would print every command) is switched off; a process that exits at any time
 * never becomes an unhandled rejection; a timeout or cancellation kills the process instead of
 * leaving the command running with the next call queued behind it.
 */
export class PowerShellSession {
  private shell: PowerShell;
  private internals: ShellInternals;
  private exited = false;
  private exitDetail = '';
  private killReason: KillReason | undefined;
  private busy = false;
  calls = 0;
  /** What the host reported when it started (PowerShell version and edition). */
  hostInfo: Record<string, unknown> = {};
  /** Warnings of the start (a warm-up import that failed). */
  hostWarnings: string[] = [];

  private constructor(private readonly config: PreparedExecutable & Pick<ExecutableConfig, 'executableOptions'>) {
    if (process.env.NODE_POWERSHELL) {
      throw new BridgeError('InvalidInput', 'NODE_POWERSHELL is set: it would silently override the executable cloudtrust chose; unset it and use CLOUDTRUST_POWERSHELL');
    }
    this.shell = new PowerShell({
      executable: config.executable,
      executableOptions: config.executableOptions,
      spawnOptions: { env: config.env, windowsHide: true },
      throwOnInvocationError: false,
      debug: false,
    });
    this.internals = this.shell as unknown as ShellInternals;
    this.internals.debuggers = { comment: silent, command: silent, output: silent };
    // A write to a pipe whose reader has died emits 'error' more than once; node-powershell listens only once.
    for (const stream of [this.shell.streams.stdin, this.shell.streams.stdout, this.shell.streams.stderr]) stream.on('error', silent);
    this.internals.exitPromise.then(
      () => this.markExited('exited'),
      (error: unknown) => this.markExited(describeExit(error)),
    );
  }

  /**
   * `options.modules`: the helper modules the dispatcher loads; default: all of them (HOST_MODULES), hashed now.
   * `options.imports`: modules imported once at start (warm-up, best effort: a failure is a warning in `hostWarnings`).
   */
  static async start(config: ExecutableConfig, scripts: HostScript[], options: { timeoutMs: number; modules?: HostModule[]; imports?: string[] }): Promise<PowerShellSession> {
    const prepared = await config.prepare();
    const session = new PowerShellSession({ ...prepared, executableOptions: config.executableOptions });
    try {
      for (const line of prepared.prelude) await session.runPrelude(line, options.timeoutMs);
      const callId = newCallId();
      const line = buildBootstrapLine(readFileSync(dispatcherPath(), 'utf8'), callId, scripts, options.modules ?? hostModules(), options.imports ?? []);
      const outcome = await session.send(callId, 'host bootstrap', line, { timeoutMs: options.timeoutMs });
      session.hostWarnings = outcome.envelope.warnings;
      if (!outcome.envelope.ok) {
        throw new BridgeError('Unsupported', `the PowerShell host refused to start: ${outcome.envelope.errors.map((e) => e.message).join('; ')}`, outcome.envelope.errors);
      }
      session.hostInfo = (outcome.envelope.result ?? {}) as Record<string, unknown>;
      return session;
    } catch (error) {
      session.kill('disposed');
      if (error instanceof BridgeError && error.kind === 'HostCrashed') {
        throw new BridgeError('HostCrashed', `cannot start ${prepared.executable}: ${error.message}`);
      }
      throw error;
    }
  }

  /** A fixed line of the lab's own (no value in it); its errors end the start. */
  private async runPrelude(line: string, timeoutMs: number): Promise<void> {
    const timer = setTimeout(() => this.kill('timeout'), timeoutMs);
    try {
      const record = await this.shell.invoke(line);
      const stderr = record.stderr?.toString('utf8').trim();
      if (record.hadErrors || stderr) throw new BridgeError('Unsupported', `the lab PowerShell refused its start-up line: ${stderr || 'it reported errors'}`);
    } catch (error) {
      if (error instanceof BridgeError) throw error;
      throw new BridgeError('HostCrashed', `the PowerShell process ended during start-up (${this.exitDetail || this.killReason || (error as Error).message})`);
    } finally {
      clearTimeout(timer);
      this.shell.history.length = 0;
    }
  }

  /** The id PowerShell reported for itself: the executable may be a launcher (a dotnet tool shim) that runs PowerShell as its child. */
  private get powershellPid(): number | undefined {
    const pid = this.hostInfo.pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  get pid(): number {
    return this.powershellPid ?? this.internals.process.pid ?? -1;
  }

  get alive(): boolean {
    return !this.exited && this.killReason === undefined;
  }

  get idle(): boolean {
    return this.alive && !this.busy;
  }

  async call(scriptId: string, args: unknown, options: CallOptions): Promise<CallOutcome> {
    const callId = newCallId();
    const line = buildCallLines(callId, scriptId, toBase64Json(args));
    const outcome = await this.send(callId, scriptId, line, options);
    logScriptRun(scriptId, this.hostInfo);
    return outcome;
  }

  private async send(callId: string, label: string, line: string, options: CallOptions): Promise<CallOutcome> {
    if (!this.alive) throw new BridgeError('HostCrashed', `${label}: the PowerShell process ${this.pid} is not running (${this.exitDetail || this.killReason})`);
    if (this.busy) throw new Error('a PowerShellSession runs one call at a time');
    if (options.signal?.aborted) throw new BridgeError('Cancelled', `${label}: cancelled before it started`);
    this.busy = true;
    this.calls += 1;
    const started = Date.now();
    const timer = setTimeout(() => this.kill('timeout'), options.timeoutMs);
    const onAbort = () => this.kill('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const secrets = options.secrets ?? [];
    const capture = new FrameCapture(callId);
    const onData = (chunk: string | Buffer) => capture.push(String(chunk));
    this.shell.streams.stdout.on('data', onData);
    try {
      const invoked = this.shell.invoke(line).then(
        (record) => ({ stderr: record.stderr?.toString('utf8') ?? '' }),
        (error: unknown) => {
          if (!this.killReason && !this.exited) this.markExited(describeExit(error));
          return { stderr: '' };
        },
      );
      let finished = await Promise.race([invoked, capture.complete.then(() => undefined)]);
      if (finished === undefined) {
        clearTimeout(timer);
        finished = await Promise.race([invoked, delay(FRAME_GRACE_MS).then(() => undefined)]);
        // The result arrived but node-powershell never saw its closing delimiter (output written after it
        // lands outside its window): its queue is now stuck, so this process cannot take another call.
        if (finished === undefined) this.kill('retired');
      }
      const stderr = finished?.stderr ?? '';
      const durationMs = Date.now() - started;
      const stdout = capture.text;
      const found = extractEnvelope(stdout, callId);
      const languageMode = LANGUAGE_MODE_MARKER.exec(stdout)?.[1];
      if (found === undefined && languageMode) {
        this.kill('retired');
        throw new BridgeError(
          'Unsupported',
          `${label}: PowerShell runs in ${languageMode} mode (WDAC/AppLocker script enforcement, or __PSLockdownPolicy); the dispatcher needs FullLanguage: allow the cloudtrust worker's PowerShell in the policy (see README, "Execution policy and signing")`,
        );
      }
      if (found === undefined) {
        if (this.killReason === 'timeout') throw new BridgeError('Timeout', `${label}: no answer within ${options.timeoutMs} ms; the PowerShell process was killed`);
        if (this.killReason === 'cancelled') throw new BridgeError('Cancelled', `${label}: cancelled; the PowerShell process was killed`);
        if (this.killReason === 'disposed') throw new BridgeError('HostCrashed', `${label}: the PowerShell process was shut down`);
      }
      const noise = redact(removeFrame(stdout, callId) + (stderr ? `\n[stderr] ${stderr}` : ''), secrets).trim();
      if (found === undefined) {
        if (!this.alive) {
          throw new BridgeError('HostCrashed', `${label}: the PowerShell process died during the call (${this.exitDetail})${noise ? `; last output: ${noise.slice(-EXCERPT)}` : ''}`);
        }
        throw new BridgeError('StepFailed', `${label}: the host answered without a result envelope${noise ? `; output: ${noise.slice(0, EXCERPT)}` : ''}`);
      }
      const parsed = envelopeSchema.safeParse(found);
      if (!parsed.success) {
        throw new BridgeError('ContractViolation', `${label}: malformed result envelope: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      }
      return { envelope: redactEnvelope(parsed.data, secrets), noise, durationMs, pid: this.pid };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      this.shell.streams.stdout.off('data', onData);
      this.shell.history.length = 0;
      this.busy = false;
    }
  }

  /** Stops the process at once (on Windows its whole tree; elsewhere PowerShell and its launcher). Safe to call more than once. */
  kill(reason: KillReason): void {
    if (this.killReason === undefined) this.killReason = reason;
    if (this.exited) return;
    const child = this.internals.process;
    if (process.platform === 'win32' && child.pid) {
      spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' }).on('error', silent);
    } else {
      // Killing a launcher does not end its PowerShell child, which would go on running the call.
      const own = this.powershellPid;
      if (own !== undefined && own !== child.pid) {
        try {
          process.kill(own, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      child.kill('SIGKILL');
    }
  }

  async dispose(): Promise<void> {
    if (this.exited) return;
    this.kill('disposed');
    await this.internals.exitPromise.catch(silent);
  }

  private markExited(detail: string): void {
    this.exited = true;
    this.exitDetail = detail;
  }
}

function describeExit(error: unknown): string {
  if (!error) return 'exited';
  const e = error as { exitCode?: number | null; signalCode?: string | null; originalError?: Error; message?: string };
  const parts = [];
  if (e.exitCode !== undefined && e.exitCode !== null) parts.push(`exit code ${e.exitCode}`);
  if (e.signalCode) parts.push(`signal ${e.signalCode}`);
  if (e.originalError?.message) parts.push(e.originalError.message);
  if (parts.length === 0 && e.message) parts.push(e.message);
  return parts.join(', ') || 'exited';
}

function removeFrame(stdout: string, callId: string): string {
  return stdout.replace(new RegExp(`<<cloudtrust:${callId}:[A-Za-z0-9+/=]*>>`, 'g'), '');
}

function redactEnvelope(envelope: Envelope, secrets: readonly string[]): Envelope {
  if (secrets.length === 0) return envelope;
  return {
    ...envelope,
    warnings: envelope.warnings.map((w) => redact(w, secrets)),
    errors: envelope.errors.map((e) => ({
      ...e,
      message: redact(e.message, secrets),
      targetObject: e.targetObject ? redact(e.targetObject, secrets) : e.targetObject,
      scriptStackTrace: e.scriptStackTrace ? redact(e.scriptStackTrace, secrets) : e.scriptStackTrace,
    })),
  };
}
