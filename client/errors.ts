/**
 * The failures a trigger (CLI, HTTP API, webhook) reports to its caller. Each kind has one HTTP status and one CLI
 * exit code, so a script and a ticketing system read the same outcome the same way.
 */
export type TriggerErrorKind = 'invalid-input' | 'not-found' | 'conflict' | 'rejected' | 'unavailable';

export const HTTP_STATUS: Record<TriggerErrorKind, number> = {
  'invalid-input': 400,
  'not-found': 404,
  conflict: 409,
  rejected: 409,
  unavailable: 503,
};

/** CLI exit codes; 1 is left for a run that ended badly and 2 for usage errors. */
export const EXIT_CODE: Record<TriggerErrorKind, number> = {
  'invalid-input': 3,
  'not-found': 4,
  conflict: 5,
  rejected: 5,
  unavailable: 6,
};

export class TriggerError extends Error {
  override readonly name: string = 'TriggerError';
  constructor(
    readonly kind: TriggerErrorKind,
    message: string,
    /** What the caller can do about it, in one line. */
    readonly hint?: string,
    /** Every problem by path, for invalid input. */
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}
