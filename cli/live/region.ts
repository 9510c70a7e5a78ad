import type { Io } from '../io';
import { visibleLength } from '../style';

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

/** A block of lines at the bottom of the terminal, redrawn in place. */
export class LiveRegion {
  private rows = 0;
  private active = false;

  constructor(private readonly io: Io) {}

  draw(lines: string[]): void {
    const width = this.io.columns() || 80;
    // Wrapped lines take several rows; all of them have to be cleared on the next frame.
    const erase = this.rows > 0 ? `\x1b[${this.rows}F\x1b[J` : '';
    this.io.raw(`${this.active ? '' : HIDE_CURSOR}${erase}${lines.map((line) => `${line}\n`).join('')}`);
    this.active = true;
    this.rows = lines.reduce((n, line) => n + Math.max(1, Math.ceil(visibleLength(line) / width)), 0);
  }

  /** Leaves the last frame on screen and gives the cursor back. */
  finish(): void {
    if (this.active) this.io.raw(SHOW_CURSOR);
    this.active = false;
    this.rows = 0;
  }

  /** Removes the last frame. */
  clear(): void {
    if (this.rows > 0) this.io.raw(`\x1b[${this.rows}F\x1b[J`);
    this.finish();
  }
}
