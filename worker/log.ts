import { types } from 'node:util';
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';

/** JSON-lines logger on stderr. It satisfies Temporal's `Logger`, so it can be handed to the SDK as is. */
export interface CloudtrustLogger extends Logger {
  /** Accepts Temporal's upper-case levels and lower-case ones; anything else logs as info. */
  log(level: string, message: string, meta?: LogMetadata): void;
  trace(message: string, meta?: LogMetadata): void;
  debug(message: string, meta?: LogMetadata): void;
  info(message: string, meta?: LogMetadata): void;
  warn(message: string, meta?: LogMetadata): void;
  error(message: string, meta?: LogMetadata): void;
}

export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const SEVERITY: Record<LevelName | 'silent', number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, silent: 5 };
const RESERVED_KEYS = new Set(['ts', 'level', 'msg']);
const secrets = new Set<string>();
let runtimeLoggingInstalled = false;

/** Every later log line has `value` replaced by `***`. */
export function registerSecret(value: string): void {
  if (value.length > 0) secrets.add(value);
}

export function redact(text: string): string {
  let result = text;
  // Longest first, so a secret that contains a shorter one is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('***');
  }
  return result;
}

export function createLogger(component: string): CloudtrustLogger {
  const at = (level: LevelName) => (message: string, meta?: LogMetadata) => writeLine(level, message, { component, ...meta });
  return {
    log: (level, message, meta) => writeLine(normalizeLevel(level), message, { component, ...meta }),
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/**
 * Routes the Temporal SDK's own logs (TS side and native core) through this logger.
 * Call before the first Worker or NativeConnection is created; later calls do nothing.
 */
export function installTemporalRuntimeLogging(): void {
  if (runtimeLoggingInstalled) return;
  const level = configuredLevel();
  const temporalLevel: LogLevel = level === 'silent' ? 'ERROR' : (level.toUpperCase() as LogLevel);
  Runtime.install({
    logger: new DefaultLogger(temporalLevel, (entry) =>
      writeLine(normalizeLevel(entry.level), entry.message, { component: 'temporal', ...entry.meta }),
    ),
    telemetryOptions: { logging: { forward: {}, filter: { core: temporalLevel, other: 'WARN' } } },
  });
  runtimeLoggingInstalled = true;
}

function writeLine(level: LevelName, message: string, meta: LogMetadata): void {
  if (SEVERITY[level] < SEVERITY[configuredLevel()]) return;
  const fields: Record<string, unknown> = { ts: new Date().toISOString(), level, msg: redact(message) };
  for (const [key, value] of Object.entries(meta)) {
    if (!RESERVED_KEYS.has(key) && value !== undefined) fields[key] = toLoggable(value);
  }
  process.stderr.write(`${JSON.stringify(fields)}\n`);
}

function toLoggable(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value === 'bigint') return value.toString();
  if (types.isNativeError(value)) {
    return { name: value.name, message: redact(value.message), stack: value.stack && redact(value.stack) };
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toLoggable(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toLoggable(item, depth + 1)]));
}

function configuredLevel(): LevelName | 'silent' {
  const wanted = process.env.CLOUDTRUST_LOG_LEVEL?.trim().toLowerCase();
  return wanted && wanted in SEVERITY ? (wanted as LevelName | 'silent') : 'info';
}

function normalizeLevel(level: string): LevelName {
  const lower = level.toLowerCase();
  return lower in SEVERITY && lower !== 'silent' ? (lower as LevelName) : 'info';
}
