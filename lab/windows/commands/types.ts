import type { LabEstate } from '../../estate/schema';

/** One call of a simulated command, as the stub bound it (names as the catalog spells them). */
export interface CommandCall {
  module: string;
  command: string;
  parameterSet: string;
  /** Bound parameters: credentials as {userName, password}, secure strings and dates as strings, objects as {type, props}. */
  parameters: Record<string, unknown>;
  /** The simulated computer a remote script block runs on; null on the management host. */
  computer: string | null;
  /** The PowerShell process that called ($PID): state a real module keeps per process (a Graph connection) is kept per this id. */
  process: number;
  /**
   * The PowerShell the calling process stands for on the management host: Desktop (Windows PowerShell 5.1) or
   * Core (PowerShell 7); the lab's processes are all PowerShell 7 on Linux (CLOUDTRUST_LAB_EDITION, set by the
   * bridge's lab executable per edition set; a process without it stands for Desktop).
   */
  edition: 'Desktop' | 'Core';
  /** The version of the module whose stub was called (what Import-Module loaded); null outside a module. */
  moduleVersion: string | null;
  has(name: string): boolean;
  get<T = unknown>(name: string): T | undefined;
}

export interface WireCredential {
  userName: string;
  password: string;
}

/** A value a simulation writes to the pipeline: built by `context.object` (typed) or a plain string/number/bool. */
export interface LabObject {
  $t: 'object';
  types: string[];
  props: Record<string, unknown>;
  /** Methods declared by the type (catalog `methods`) that return a fixed string, e.g. EventLogRecord.ToXml(). */
  methods?: Record<string, string>;
}

export interface ErrorOptions {
  targetObject?: string | null;
  /** Graph: the HTTP status the HttpResponseException carries, and its Retry-After. */
  statusCode?: number;
  retryAfterSeconds?: number;
  /** ErrorRecord.ErrorDetails.Message: where Graph puts the service's own error text. */
  errorDetails?: string;
  /** The InnerException: another error the catalog declares for this command, filled with its own values. */
  inner?: { key: string; values?: Record<string, string | number> };
}

export interface CommandContext {
  read(): Promise<LabEstate>;
  /** A transaction on the estate under its cross-process lock. */
  update<T>(change: (estate: LabEstate) => T | Promise<T>): Promise<T>;
  now(): Date;
  /** An object of a catalog type, with exactly its documented properties (a missing one is null; an undeclared one is a lab defect). */
  object(typeName: string, props: Record<string, unknown>, options?: { requested?: string[]; methods?: Record<string, string> }): LabObject;
  /** Ends the command with a terminating error declared in the catalog (`errors`), its {placeholders} filled from `fill`. */
  fail(errorKey: string, fill?: Record<string, string | number>, options?: ErrorOptions): never;
  /** Writes a non-terminating error (the command goes on), as Write-Error in a binary cmdlet. */
  writeError(errorKey: string, fill?: Record<string, string | number>, options?: ErrorOptions): void;
  warn(text: string): void;
}

export type CommandSimulation = (call: CommandCall, context: CommandContext) => Promise<unknown[] | void> | unknown[] | void;

/** A native program (dsregcmd.exe): arguments in, lines of text and an exit code out. */
export type NativeSimulation = (args: string[], computer: string | null, context: CommandContext) => Promise<{ lines: string[]; exitCode: number }>;
