/** ANSI styling that turns into plain text when colour is off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

export function createStyle(enabled: boolean): Style {
  if (!enabled) {
    const plain = (text: string) => text;
    return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  }
  return { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), green: ansi(32, 39), yellow: ansi(33, 39), cyan: ansi(36, 39) };
}

const ANSI_SEQUENCE = /\x1b\[[0-9;]*[A-Za-z]/g;

/** The width a string takes on a terminal (ANSI sequences take none). */
export const visibleLength = (text: string) => text.replace(ANSI_SEQUENCE, '').length;

/** A status word coloured by what it means: done well, done badly, waiting on someone, or under way. */
export function paintStatus(style: Style, status: string): string {
  if (['succeeded', 'completed', 'in-sync', 'planned', 'ok', 'COMPLETED'].includes(status)) return style.green(status);
  if (['failed', 'not-ready', 'halted', 'cancelled', 'drift', 'incomplete', 'FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED'].includes(status)) return style.red(status);
  if (['waiting-approval', 'waiting-operator', 'needs-operator', 'paused', 'stopped', 'skipped'].includes(status)) return style.yellow(status);
  if (['running', 'preflight', 'preparing', 'RUNNING'].includes(status)) return style.cyan(status);
  return status;
}
