import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';
import { describeIssues } from '../model/zod-issues';
import { registerSecret } from './log';

interface CommonSettings {
  namespace: string;
  taskQueue: string;
  /** Local state: lab estate, generated codec key, and in embedded mode the dev server's SQLite file. */
  dataDir: string;
}

export interface EmbeddedTemporalSettings extends CommonSettings {
  mode: 'embedded';
  devPort: number;
  devUiPort: number;
}

export interface ExternalTemporalSettings extends CommonSettings {
  mode: 'external';
  address: string;
  tls?: TemporalTlsSettings;
  apiKey?: string;
}

export interface TemporalTlsSettings {
  clientCertPair?: { crt: Buffer; key: Buffer };
  serverRootCACertificate?: Buffer;
  serverNameOverride?: string;
}

export type TemporalSettings = EmbeddedTemporalSettings | ExternalTemporalSettings;

export class TemporalSettingsError extends Error {
  override readonly name = 'TemporalSettingsError';
  constructor(readonly problems: string[]) {
    super(`Invalid Temporal connection settings:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

const port = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number between 1 and 65535')
    .transform(Number)
    .refine((value) => value >= 1 && value <= 65535, 'must be a whole number between 1 and 65535')
    .default(fallback);

const envSchema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(HOST_PORT, 'must be host:port without a scheme, e.g. my-namespace.a1b2c.tmprl.cloud:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  TEMPORAL_TLS: z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).optional(),
  CLOUDTRUST_DATA_DIR: z.string().optional(),
  CLOUDTRUST_DEV_PORT: port(7233),
  CLOUDTRUST_DEV_UI_PORT: port(8233),
  CLOUDTRUST_TASK_QUEUE: z.string().default('cloudtrust'),
});

type Env = z.infer<typeof envSchema>;

const EXTERNAL_ONLY_VARIABLES = [
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
] as const;

/** CLOUDTRUST_DATA_DIR as an absolute path (default ./.cloudtrust); needs no other setting to be valid. */
export function dataDirOf(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CLOUDTRUST_DATA_DIR?.trim() || '.cloudtrust');
}

/**
 * Without TEMPORAL_ADDRESS cloudtrust runs its own dev server (embedded); with it, it connects to that server.
 * Throws a TemporalSettingsError listing every problem, each naming its variable.
 */
export function loadTemporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const parsed = envSchema.safeParse(pickSetVariables(env));
  if (!parsed.success) throw new TemporalSettingsError(describeIssues(parsed.error));
  const vars = parsed.data;
  const common: CommonSettings = {
    namespace: vars.TEMPORAL_NAMESPACE,
    taskQueue: vars.CLOUDTRUST_TASK_QUEUE,
    dataDir: dataDirOf(env),
  };
  return vars.TEMPORAL_ADDRESS ? externalSettings(vars, vars.TEMPORAL_ADDRESS, common) : embeddedSettings(vars, common);
}

function embeddedSettings(vars: Env, common: CommonSettings): EmbeddedTemporalSettings {
  const problems = EXTERNAL_ONLY_VARIABLES.filter((name) => vars[name] !== undefined).map(
    (name) =>
      `${name} is set but TEMPORAL_ADDRESS is not: it only applies to an external Temporal server ` +
      '(set TEMPORAL_ADDRESS, or unset it to use the embedded dev server)',
  );
  if (vars.CLOUDTRUST_DEV_PORT === vars.CLOUDTRUST_DEV_UI_PORT) {
    problems.push(`CLOUDTRUST_DEV_UI_PORT must differ from CLOUDTRUST_DEV_PORT (both are ${vars.CLOUDTRUST_DEV_PORT})`);
  }
  if (problems.length > 0) throw new TemporalSettingsError(problems);
  return { mode: 'embedded', ...common, devPort: vars.CLOUDTRUST_DEV_PORT, devUiPort: vars.CLOUDTRUST_DEV_UI_PORT };
}

function externalSettings(vars: Env, address: string, common: CommonSettings): ExternalTemporalSettings {
  const problems: string[] = [];
  const certPath = vars.TEMPORAL_TLS_CLIENT_CERT_PATH;
  const keyPath = vars.TEMPORAL_TLS_CLIENT_KEY_PATH;
  if (certPath && !keyPath) {
    problems.push('TEMPORAL_TLS_CLIENT_CERT_PATH is set but TEMPORAL_TLS_CLIENT_KEY_PATH is not: mTLS needs both');
  }
  if (keyPath && !certPath) {
    problems.push('TEMPORAL_TLS_CLIENT_KEY_PATH is set but TEMPORAL_TLS_CLIENT_CERT_PATH is not: mTLS needs both');
  }
  const tlsFileOrName = EXTERNAL_ONLY_VARIABLES.filter((name) => name.startsWith('TEMPORAL_TLS_') && vars[name]);
  if (vars.TEMPORAL_TLS === 'false' && tlsFileOrName.length > 0) {
    problems.push(`TEMPORAL_TLS is 'false' but ${tlsFileOrName.join(', ')} ${tlsFileOrName.length > 1 ? 'are' : 'is'} set`);
  }
  const crt = certPath ? readTlsFile('TEMPORAL_TLS_CLIENT_CERT_PATH', certPath, problems) : undefined;
  const key = keyPath ? readTlsFile('TEMPORAL_TLS_CLIENT_KEY_PATH', keyPath, problems) : undefined;
  const ca = vars.TEMPORAL_TLS_SERVER_CA_CERT_PATH
    ? readTlsFile('TEMPORAL_TLS_SERVER_CA_CERT_PATH', vars.TEMPORAL_TLS_SERVER_CA_CERT_PATH, problems)
    : undefined;
  if (problems.length > 0) throw new TemporalSettingsError(problems);

  const apiKey = vars.TEMPORAL_API_KEY?.trim() || undefined;
  if (apiKey) registerSecret(apiKey);
  if (key) registerSecret(key.toString('utf8').trim());

  // Like the SDK, an API key implies TLS unless TEMPORAL_TLS=false says otherwise.
  const useTls = vars.TEMPORAL_TLS === 'true' || tlsFileOrName.length > 0 || (apiKey !== undefined && vars.TEMPORAL_TLS !== 'false');
  const tls: TemporalTlsSettings | undefined = useTls
    ? {
        ...(crt && key ? { clientCertPair: { crt, key } } : {}),
        ...(ca ? { serverRootCACertificate: ca } : {}),
        ...(vars.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: vars.TEMPORAL_TLS_SERVER_NAME } : {}),
      }
    : undefined;
  return { mode: 'external', ...common, address, ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}) };
}

/** Options for NativeConnection.connect (@temporalio/worker). */
export function nativeConnectionOptions(settings: ExternalTemporalSettings): NativeConnectionOptions {
  return { address: settings.address, tls: settings.tls ?? false, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) };
}

/** Options for Connection.connect (@temporalio/client). */
export function clientConnectionOptions(settings: ExternalTemporalSettings): ConnectionOptions {
  return { address: settings.address, tls: settings.tls ?? false, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) };
}

/** A one-line summary that is safe to log: no API key, no key material. */
export function describeTemporalSettings(settings: TemporalSettings): string {
  const queue = `namespace ${settings.namespace}, task queue ${settings.taskQueue}`;
  if (settings.mode === 'embedded') {
    return `embedded dev server on 127.0.0.1:${settings.devPort} (UI ${settings.devUiPort}), data in ${settings.dataDir}, ${queue}`;
  }
  const security = [
    settings.tls ? 'TLS' : 'plaintext',
    settings.tls?.clientCertPair ? 'client certificate' : undefined,
    settings.tls?.serverRootCACertificate ? 'custom CA' : undefined,
    settings.apiKey ? 'API key' : undefined,
  ].filter(Boolean);
  return `external server ${settings.address} (${security.join(', ')}), ${queue}`;
}

function pickSetVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of Object.keys(envSchema.shape)) {
    const value = env[name]?.trim();
    if (value) picked[name] = value;
  }
  return picked;
}

function readTlsFile(variable: string, file: string, problems: string[]): Buffer | undefined {
  try {
    const contents = readFileSync(file);
    if (contents.length === 0) problems.push(`${variable} points to ${file}, which is empty`);
    return contents;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'which does not exist'
      : code === 'EISDIR' ? 'which is a directory, not a file'
      : code === 'EACCES' ? 'which cannot be read (permission denied)'
      : `which cannot be read (${code ?? (error as Error).message})`;
    problems.push(`${variable} points to ${file}, ${reason}`);
    return undefined;
  }
}
