import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ID_NAME_PATTERN } from '../model/names';
import { parseSpec, SpecError } from '../model/spec-file';
import type { RolloutSpec } from '../model/spec';
import { describeIssues } from '../model/zod-issues';
import { registerSecret } from '../worker/log';
import { ApiError } from './errors';

export const HOOKS_FILE_NAME = 'hooks.json';
export const HOOK_ACTIONS = ['plan', 'apply', 'rotate-keys', 'drift-check'] as const;
export type HookAction = (typeof HOOK_ACTIONS)[number];

export const TIMESTAMP_HEADER = 'x-cloudtrust-timestamp';
export const SIGNATURE_HEADER = 'x-cloudtrust-signature';
/** How far a webhook's timestamp may be from the server's clock, either way. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
const MIN_KEY_LENGTH = 32;

export const hookNameSchema = z.string().regex(ID_NAME_PATTERN, 'must be lower-case letters, digits and dashes');

const hookEntrySchema = z
  .object({
    name: hookNameSchema,
    action: z.enum(HOOK_ACTIONS),
    spec: z.string().min(1).max(1024, 'must be a path of at most 1024 characters'),
    secret: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a secret name (letters, digits, _ . -); the key itself lives in CLOUDTRUST_HOOK_SECRET_<NAME>'),
  })
  .strict();

export const hooksFileSchema = z
  .object({ hooks: z.array(hookEntrySchema) })
  .strict()
  .superRefine((file, ctx) => {
    file.hooks.forEach((hook, i) => {
      if (file.hooks.findIndex((other) => other.name === hook.name) !== i) ctx.addIssue({ code: 'custom', message: `hook ${hook.name} is declared twice`, path: ['hooks', i, 'name'] });
    });
  });

/** A webhook ready to serve: its action, the spec file it runs, and its HMAC key. */
export interface HookDefinition {
  name: string;
  action: HookAction;
  /** Absolute path of the spec file; read again on every delivery, so edits apply without a restart. */
  specFile: string;
  /** The secret's name (for messages); the key is `key`. */
  secret: string;
  key: Buffer;
}

/** The body a delivery may carry: a ticket or change reference, recorded in the response and the log. */
export const hookDeliverySchema = z
  .object({
    reference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:#/-]{0,127}$/, 'must be a ticket reference of letters, digits and _ . : # / - (at most 128)').optional(),
  })
  .strict();

export class HookConfigError extends Error {
  override readonly name = 'HookConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`);
  }
}

export const hookSecretVariable = (secret: string) => `CLOUDTRUST_HOOK_SECRET_${secret.toUpperCase().replace(/[.-]/g, '_')}`;

/** The hooks file: CLOUDTRUST_HOOKS_FILE, else `<dataDir>/hooks.json`. */
export function hooksFilePath(options: { dataDir: string; env?: NodeJS.ProcessEnv }): string {
  const configured = (options.env ?? process.env).CLOUDTRUST_HOOKS_FILE?.trim();
  return configured ? path.resolve(configured) : path.join(options.dataDir, HOOKS_FILE_NAME);
}

/**
 * Loads and checks every hook: the file's shape, each spec file (valid now), and each HMAC key (from the environment,
 * never from the file). Every problem is reported at once. No file means no hooks, unless CLOUDTRUST_HOOKS_FILE names it.
 */
export async function loadHooks(options: { dataDir: string; env?: NodeJS.ProcessEnv }): Promise<HookDefinition[]> {
  const env = options.env ?? process.env;
  const file = hooksFilePath(options);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' && !env.CLOUDTRUST_HOOKS_FILE) return undefined;
    throw new HookConfigError(file, [error.code === 'ENOENT' ? 'the file does not exist (CLOUDTRUST_HOOKS_FILE names it)' : `cannot read it: ${error.message}`]);
  });
  if (text === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HookConfigError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  const parsed = hooksFileSchema.safeParse(json);
  if (!parsed.success) throw new HookConfigError(file, describeIssues(parsed.error));

  const problems: string[] = [];
  const hooks: HookDefinition[] = [];
  for (const [i, entry] of parsed.data.hooks.entries()) {
    const specFile = path.resolve(path.dirname(file), entry.spec);
    try {
      await readHookSpec(specFile);
    } catch (error) {
      problems.push(...(error instanceof SpecError ? error.problems.map((p) => `hooks[${i}].spec (${specFile}): ${p}`) : [`hooks[${i}].spec: ${(error as Error).message}`]));
    }
    const variable = hookSecretVariable(entry.secret);
    const value = env[variable];
    if (value === undefined || value === '') problems.push(`hooks[${i}].secret: hook ${entry.name} uses secret ${entry.secret}, but ${variable} is not set`);
    else if (value.length < MIN_KEY_LENGTH) problems.push(`hooks[${i}].secret: ${variable} must be at least ${MIN_KEY_LENGTH} characters (e.g. openssl rand -hex 32)`);
    else {
      registerSecret(value);
      hooks.push({ name: entry.name, action: entry.action, specFile, secret: entry.secret, key: Buffer.from(value, 'utf8') });
    }
  }
  if (problems.length > 0) throw new HookConfigError(file, problems);
  return hooks;
}

/** Reads and validates a hook's spec file; a missing or invalid file is a SpecError naming the file. */
export async function readHookSpec(specFile: string): Promise<RolloutSpec> {
  const text = await readFile(specFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new SpecError(specFile, [error.code === 'ENOENT' ? 'the spec file does not exist' : `cannot read the spec file: ${error.message}`]);
  });
  return parseSpec(text, specFile);
}

/** The X-Cloudtrust-Signature value for a body sent at `timestamp` (unix seconds): sha256=<hex HMAC of "<timestamp>.<body>">. */
export function signWebhook(secret: string | Buffer, body: string | Buffer, timestamp: number): string {
  return `sha256=${hmac(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret, String(timestamp), typeof body === 'string' ? Buffer.from(body, 'utf8') : body).toString('hex')}`;
}

function hmac(key: Buffer, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', key).update(`${timestamp}.`, 'utf8').update(body).digest();
}

/** Checks a delivery's timestamp and signature over its raw body; refuses with a 401 that says which check failed. */
export function verifyWebhook(hook: HookDefinition, headers: Record<string, string | string[] | undefined>, rawBody: Buffer, nowMs = Date.now()): { timestamp: number; signature: string } {
  const timestamp = single(headers[TIMESTAMP_HEADER]);
  const signature = single(headers[SIGNATURE_HEADER]);
  if (timestamp === undefined) throw refused('missing the X-Cloudtrust-Timestamp header (unix seconds of the delivery)');
  if (!/^\d{1,12}$/.test(timestamp)) throw refused('X-Cloudtrust-Timestamp must be unix seconds (digits only)');
  const skew = Math.abs(Math.round(nowMs / 1000) - Number(timestamp));
  if (skew > MAX_CLOCK_SKEW_SECONDS) {
    throw refused(`X-Cloudtrust-Timestamp is ${skew} s away from the server's clock; at most ${MAX_CLOCK_SKEW_SECONDS} s is accepted`, 'sign every delivery when it is sent, and check the sender\'s clock');
  }
  if (signature === undefined) throw refused('missing the X-Cloudtrust-Signature header (sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">)');
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature);
  if (!match) throw refused('X-Cloudtrust-Signature must read sha256=<64 hex digits>');
  const expected = hmac(hook.key, timestamp, rawBody);
  if (!timingSafeEqual(Buffer.from(match[1], 'hex'), expected)) {
    throw refused(`the signature does not match: sign "<timestamp>.<raw body>" with HMAC-SHA256 and the key of secret ${hook.secret}`);
  }
  return { timestamp: Number(timestamp), signature: match[1].toLowerCase() };
}

function refused(message: string, hint?: string): ApiError {
  return new ApiError(401, 'unauthenticated', message, { ...(hint ? { hint } : {}), headers: { 'www-authenticate': 'Cloudtrust-HMAC-SHA256 realm="cloudtrust-hooks"' } });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
