import { createStyle, type Style } from './style';

/** Where the CLI writes, and how: JSON for machines, colour only on a terminal that wants it. */
export interface Io {
  json: boolean;
  debug: boolean;
  /** stdout is a terminal (live tables redraw in place only there). */
  interactive: boolean;
  style: Style;
  /** A line on stdout. */
  out(line?: string): void;
  /** A line on stderr: notes, progress, errors. */
  err(line?: string): void;
  /** A warning on stderr (a JSON line with --json). */
  warn(message: string): void;
  /** Raw text on stdout (cursor movement of a live table). */
  raw(text: string): void;
  /** A JSON document on stdout. */
  emit(value: unknown): void;
  /** One NDJSON line on stdout. */
  emitLine(value: unknown): void;
  /** Terminal width, when stdout is a terminal. */
  columns(): number | undefined;
}

export interface IoOptions {
  json: boolean;
  debug: boolean;
  noColor: boolean;
  env: NodeJS.ProcessEnv;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export function createIo(options: IoOptions): Io {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const interactive = stdout.isTTY === true;
  const colour = interactive && !options.json && !options.noColor && options.env.NO_COLOR === undefined && options.env.TERM !== 'dumb';
  return {
    json: options.json,
    debug: options.debug,
    interactive,
    style: createStyle(colour),
    out: (line = '') => stdout.write(`${line}\n`),
    err: (line = '') => stderr.write(`${line}\n`),
    warn: (message) => stderr.write(options.json ? `${JSON.stringify({ warning: message })}\n` : `warning: ${message}\n`),
    raw: (text) => stdout.write(text),
    emit: (value) => stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    emitLine: (value) => stdout.write(`${JSON.stringify(value)}\n`),
    columns: () => (interactive ? stdout.columns : undefined),
  };
}
