import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** The key that encrypts new payloads, plus retired keys still accepted when decrypting. */
export interface Keyring {
  current: Buffer;
  previous: Buffer[];
}

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const AUTH_TAG_BYTES = 16;

export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

/** First 16 hex characters of sha256(key): names a key in payload metadata without revealing it. */
export function encryptionKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM over the whole serialized Payload, laid out as IV (12 bytes) | ciphertext | auth tag (16 bytes),
 * the same layout as Temporal's TypeScript encryption sample.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly currentKeyId: string;
  private readonly keysById = new Map<string, Buffer>();

  constructor(keyring: Keyring) {
    for (const key of [keyring.current, ...keyring.previous]) {
      if (key.length !== KEY_BYTES) {
        throw new RangeError(`AES-256-GCM keys must be ${KEY_BYTES} bytes; got a ${key.length}-byte key`);
      }
      this.keysById.set(encryptionKeyId(key), key);
    }
    this.currentKeyId = encryptionKeyId(keyring.current);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keysById.get(this.currentKeyId) as Buffer;
    return payloads.map((payload) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA_KEY]: Buffer.from(this.currentKeyId),
      },
      data: encrypt(Buffer.from(temporal.api.common.v1.Payload.encode(payload).finish()), key),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (metadataText(payload, METADATA_ENCODING_KEY) !== ENCRYPTED_ENCODING) return payload;
      const keyId = metadataText(payload, KEY_ID_METADATA_KEY);
      if (!keyId) throw new PayloadDecryptionError(`Encrypted payload has no "${KEY_ID_METADATA_KEY}" metadata`);
      const key = this.keysById.get(keyId);
      if (!key) {
        throw new PayloadDecryptionError(
          `Payload was encrypted with key ${keyId}, which is not in the keyring (known: ${[...this.keysById.keys()].join(', ')}); ` +
            'if that key was rotated out, add it to CLOUDTRUST_CODEC_OLD_KEYS',
        );
      }
      const plaintext = decrypt(Buffer.from(payload.data ?? []), key, keyId);
      return temporal.api.common.v1.Payload.decode(plaintext);
    });
  }
}

function encrypt(plaintext: Buffer, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

function decrypt(data: Buffer, key: Buffer, keyId: string): Buffer {
  if (data.length < IV_BYTES + AUTH_TAG_BYTES) {
    throw new PayloadDecryptionError(`Encrypted payload (key ${keyId}) is ${data.length} bytes, too short to be valid`);
  }
  const iv = data.subarray(0, IV_BYTES);
  const tag = data.subarray(data.length - AUTH_TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - AUTH_TAG_BYTES)), decipher.final()]);
  } catch {
    throw new PayloadDecryptionError(
      `Could not decrypt payload with key ${keyId}: authentication failed (the payload was altered or the key is wrong)`,
    );
  }
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
}
