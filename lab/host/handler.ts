import type { LabEstate } from '../estate/schema';

/** A PowerShell-style error record, as the real dispatcher reports it. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly category: string,
    readonly fullyQualifiedErrorId: string,
    readonly targetObject: string | null = null,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface StepAnswer {
  changed: boolean;
  result: unknown;
  warnings?: string[];
}

export interface HandlerContext {
  /** A snapshot of the estate (read-only use). */
  estate(): Promise<LabEstate>;
  /** A transaction on the estate: changes made by `change` are written atomically under the cross-process lock. */
  update<T>(change: (estate: LabEstate) => T | Promise<T>): Promise<T>;
  now(): Date;
  /** Writes console text outside the result frame, as a script's stray output would. */
  writeConsole(text: string): void;
  writeError(text: string): void;
  /** Writes console text right after the call's closing delimiter, as late asynchronous output would land. */
  writeAfterCall(text: string): void;
  exit(code: number): never;
}

export type StepHandler = (args: Record<string, unknown>, context: HandlerContext) => Promise<StepAnswer>;
