import { visibleLength, type Style } from '../style';

/** Rows as aligned columns (two spaces apart, ANSI colour ignored for width), the header dimmed. */
export function table(header: string[], rows: string[][], style: Style): string[] {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((row) => visibleLength(row[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  return [style.dim(line(header)), ...rows.map(line)];
}

/** A compact duration: 42s, 3m05s, 2h04m. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function elapsedBetween(startedAt: string | undefined, finishedAt: string | undefined, now: number): string {
  if (!startedAt) return '';
  return formatElapsed((finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt));
}

/** A timestamp for tables: UTC, to the second. */
export const shortTime = (iso: string | undefined) => (iso ? `${iso.slice(0, 19).replace('T', ' ')}Z` : '');
