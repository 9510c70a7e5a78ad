import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCodecKeys } from '../../worker/codec-key';

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('loadCodecKeys', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'cloudtrust-keys-')), 'data');
  });

  afterEach(async () => {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  const base64Key = () => randomBytes(32).toString('base64');

  it('creates <dataDir>/codec.key with mode 0600 on first use and reuses it after', async () => {
    const first = await loadCodecKeys({ env: {}, dataDir, createIfMissing: true });
    const keyFile = path.join(dataDir, 'codec.key');
    if (process.platform !== 'win32') expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64')).toEqual(first?.current);

    const second = await loadCodecKeys({ env: {}, dataDir, createIfMissing: true });
    expect(second?.current).toEqual(first?.current);
    const readOnly = await loadCodecKeys({ env: {}, dataDir, createIfMissing: false });
    expect(readOnly?.current).toEqual(first?.current);
  });

  it('gives every concurrent first run the same key', async () => {
    const keyrings = await Promise.all(
      Array.from({ length: 5 }, () => loadCodecKeys({ env: {}, dataDir, createIfMissing: true })),
    );
    for (const keyring of keyrings) expect(keyring?.current).toEqual(keyrings[0]?.current);
  });

  it('returns undefined (no encryption) when nothing is configured and nothing may be created', async () => {
    await expect(loadCodecKeys({ env: {}, dataDir, createIfMissing: false })).resolves.toBeUndefined();
  });

  it('takes the current key from CLOUDTRUST_CODEC_KEY and older ones from CLOUDTRUST_CODEC_OLD_KEYS', async () => {
    const current = base64Key();
    const olderA = base64Key();
    const olderB = base64Key();
    const keyring = await loadCodecKeys({
      env: { CLOUDTRUST_CODEC_KEY: current, CLOUDTRUST_CODEC_OLD_KEYS: ` ${olderA}, ${olderB},` },
      dataDir,
      createIfMissing: true,
    });
    expect(keyring?.current.toString('base64')).toBe(current);
    expect(keyring?.previous.map((key) => key.toString('base64'))).toEqual([olderA, olderB]);
    await expect(stat(path.join(dataDir, 'codec.key'))).rejects.toThrow();
  });

  it('takes the current key from CLOUDTRUST_CODEC_KEY_FILE', async () => {
    const key = base64Key();
    const keyFile = path.join(path.dirname(dataDir), 'key.b64');
    await writeFile(keyFile, `${key}\n`);
    const keyring = await loadCodecKeys({ env: { CLOUDTRUST_CODEC_KEY_FILE: keyFile }, dataDir, createIfMissing: false });
    expect(keyring?.current.toString('base64')).toBe(key);

    await expect(
      loadCodecKeys({ env: { CLOUDTRUST_CODEC_KEY_FILE: `${keyFile}.missing` }, dataDir, createIfMissing: false }),
    ).rejects.toThrow(/CLOUDTRUST_CODEC_KEY_FILE points to .*key\.b64\.missing, which does not exist/);
  });

  it('says how many bytes a wrong-length key decoded to, without printing the key', async () => {
    const shortKey = randomBytes(24).toString('base64');
    const error = await failureOf(loadCodecKeys({ env: { CLOUDTRUST_CODEC_KEY: shortKey }, dataDir, createIfMissing: true }));
    expect(error.message).toBe('CLOUDTRUST_CODEC_KEY must be base64 of exactly 32 bytes, but it decodes to 24 bytes');
    expect(error.message).not.toContain(shortKey);

    const oldKeyError = await failureOf(loadCodecKeys({
      env: { CLOUDTRUST_CODEC_KEY: base64Key(), CLOUDTRUST_CODEC_OLD_KEYS: `${base64Key()},${shortKey}` },
      dataDir,
      createIfMissing: true,
    }));
    expect(oldKeyError.message).toMatch(/^CLOUDTRUST_CODEC_OLD_KEYS entry #2 must be base64 of exactly 32 bytes, but it decodes to 24 bytes$/);
  });

  it('rejects text that is not base64, without echoing it', async () => {
    const notBase64 = 'this is my passphrase!';
    const error = await failureOf(loadCodecKeys({ env: { CLOUDTRUST_CODEC_KEY: notBase64 }, dataDir, createIfMissing: true }));
    expect(error.message).toMatch(/CLOUDTRUST_CODEC_KEY is not valid base64/);
    expect(error.message).not.toContain('passphrase');
  });

  it('refuses both key sources at once, and old keys without a current key', async () => {
    await expect(
      loadCodecKeys({ env: { CLOUDTRUST_CODEC_KEY: base64Key(), CLOUDTRUST_CODEC_KEY_FILE: '/k' }, dataDir, createIfMissing: true }),
    ).rejects.toThrow('Set only one of CLOUDTRUST_CODEC_KEY and CLOUDTRUST_CODEC_KEY_FILE');
    await expect(
      loadCodecKeys({ env: { CLOUDTRUST_CODEC_OLD_KEYS: base64Key() }, dataDir, createIfMissing: false }),
    ).rejects.toThrow(/CLOUDTRUST_CODEC_OLD_KEYS is set but there is no current key/);
  });
});
