import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Keyring } from './codec';
import { registerSecret } from './log';

const KEY_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
export const GENERATED_KEY_FILE_NAME = 'codec.key';

export class CodecKeyError extends Error {
  override readonly name = 'CodecKeyError';
}

/**
 * The payload-encryption keyring. The current key comes from CLOUDTRUST_CODEC_KEY, CLOUDTRUST_CODEC_KEY_FILE or
 * `<dataDir>/codec.key` (created when `createIfMissing`); CLOUDTRUST_CODEC_OLD_KEYS adds keys accepted for decoding.
 * Returns undefined when no key is configured or stored and none may be created: payloads stay unencrypted.
 */
export async function loadCodecKeys(options: {
  env?: NodeJS.ProcessEnv;
  dataDir: string;
  createIfMissing: boolean;
}): Promise<Keyring | undefined> {
  const env = options.env ?? process.env;
  const previous = parseOldKeys(env.CLOUDTRUST_CODEC_OLD_KEYS);
  const current = await loadCurrentKey(env, options.dataDir, options.createIfMissing);
  if (!current) {
    if (previous.length > 0) {
      throw new CodecKeyError(
        'CLOUDTRUST_CODEC_OLD_KEYS is set but there is no current key: set CLOUDTRUST_CODEC_KEY or CLOUDTRUST_CODEC_KEY_FILE',
      );
    }
    return undefined;
  }
  return { current, previous };
}

async function loadCurrentKey(env: NodeJS.ProcessEnv, dataDir: string, createIfMissing: boolean): Promise<Buffer | undefined> {
  const inline = env.CLOUDTRUST_CODEC_KEY?.trim();
  const keyFile = env.CLOUDTRUST_CODEC_KEY_FILE?.trim();
  if (inline && keyFile) {
    throw new CodecKeyError('Set only one of CLOUDTRUST_CODEC_KEY and CLOUDTRUST_CODEC_KEY_FILE, not both');
  }
  if (inline) return parseKey(inline, 'CLOUDTRUST_CODEC_KEY');
  if (keyFile) {
    const text = await readKeyFile(keyFile);
    if (text === undefined) throw new CodecKeyError(`CLOUDTRUST_CODEC_KEY_FILE points to ${keyFile}, which does not exist`);
    return parseKey(text, `the key in ${keyFile} (CLOUDTRUST_CODEC_KEY_FILE)`);
  }
  const generatedFile = path.join(dataDir, GENERATED_KEY_FILE_NAME);
  const stored = await readKeyFile(generatedFile);
  if (stored !== undefined) return parseKey(stored, `the key in ${generatedFile}`);
  return createIfMissing ? createKeyFile(generatedFile) : undefined;
}

function parseOldKeys(list: string | undefined): Buffer[] {
  const entries = (list ?? '').split(',').map((entry) => entry.trim());
  return entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry.length > 0)
    .map(({ entry, index }) => parseKey(entry, `CLOUDTRUST_CODEC_OLD_KEYS entry #${index + 1}`));
}

function parseKey(base64: string, source: string): Buffer {
  const text = base64.trim();
  if (!BASE64.test(text)) throw new CodecKeyError(`${source} is not valid base64 (expected base64 of exactly ${KEY_BYTES} bytes)`);
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new CodecKeyError(`${source} must be base64 of exactly ${KEY_BYTES} bytes, but it decodes to ${key.length} bytes`);
  }
  registerSecret(text);
  return key;
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CodecKeyError(`Cannot read codec key file ${file}: ${(error as Error).message}`);
  }
}

async function createKeyFile(file: string): Promise<Buffer> {
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(draft, `${key.toString('base64')}\n`, { mode: 0o600 });
  try {
    await chmod(draft, 0o600);
    // link() fails if the file exists, so a concurrent first run never sees a half-written key.
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const stored = await readKeyFile(file);
    return parseKey(stored ?? '', `the key in ${file}`);
  } finally {
    await rm(draft, { force: true });
  }
  registerSecret(key.toString('base64'));
  return key;
}
