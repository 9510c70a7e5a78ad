import { randomBytes } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  decodeOptionalFailureToOptionalError,
  encodeErrorToFailure,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow';
import { EncryptionCodec, PayloadDecryptionError, encryptionKeyId } from '../../worker/codec';
import { createDataConverter } from '../../worker/data-converter';

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const payloadOf = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);

describe('EncryptionCodec', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const secret = { password: 'correct horse battery staple' };

  it('round-trips payloads and leaves no plaintext on the wire', async () => {
    const codec = new EncryptionCodec({ current: newKey, previous: [] });
    const [encoded] = await codec.encode([payloadOf(secret)]);

    expect(text(encoded.metadata?.encoding)).toBe('binary/encrypted');
    expect(text(encoded.metadata?.['encryption-key-id'])).toBe(encryptionKeyId(newKey));
    expect(text(encoded.data)).not.toContain('correct horse');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(secret);
  });

  it('names keys by the first 16 hex characters of their sha256', () => {
    expect(encryptionKeyId(Buffer.alloc(32))).toBe('66687aadf862bd77');
  });

  it('decodes payloads written with a rotated-out key kept in the keyring', async () => {
    const [writtenWithOldKey] = await new EncryptionCodec({ current: oldKey, previous: [] }).encode([payloadOf(secret)]);
    const rotated = new EncryptionCodec({ current: newKey, previous: [oldKey] });

    const [decoded] = await rotated.decode([writtenWithOldKey]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(secret);
    const [reencoded] = await rotated.encode([decoded]);
    expect(text(reencoded.metadata?.['encryption-key-id'])).toBe(encryptionKeyId(newKey));
  });

  it('refuses a payload whose key is not in the keyring, naming the key id', async () => {
    const [writtenWithOldKey] = await new EncryptionCodec({ current: oldKey, previous: [] }).encode([payloadOf(secret)]);
    const withoutOldKey = new EncryptionCodec({ current: newKey, previous: [] });

    await expect(withoutOldKey.decode([writtenWithOldKey])).rejects.toThrow(PayloadDecryptionError);
    await expect(withoutOldKey.decode([writtenWithOldKey])).rejects.toThrow(
      `encrypted with key ${encryptionKeyId(oldKey)}, which is not in the keyring`,
    );
  });

  it('detects a tampered ciphertext', async () => {
    const codec = new EncryptionCodec({ current: newKey, previous: [] });
    const [encoded] = await codec.encode([payloadOf(secret)]);
    const tampered = Buffer.from(encoded.data as Uint8Array);
    tampered[20] ^= 0x01;

    await expect(codec.decode([{ ...encoded, data: tampered }])).rejects.toThrow(/authentication failed/);
  });

  it('passes payloads that are not encrypted through decode unchanged', async () => {
    const codec = new EncryptionCodec({ current: newKey, previous: [] });
    const plain = payloadOf('hello');
    const [decoded] = await codec.decode([plain]);
    expect(decoded).toBe(plain);
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => new EncryptionCodec({ current: randomBytes(16), previous: [] })).toThrow(/32 bytes; got a 16-byte key/);
  });
});

describe('createDataConverter', () => {
  it('encrypts failure messages and stack traces, not only payloads', async () => {
    const converter = loadDataConverter(createDataConverter({ current: randomBytes(32), previous: [] }));
    const error = ApplicationFailure.nonRetryable('Access denied for admin@corp.example', 'AccessDenied');

    const failure = await encodeErrorToFailure(converter, error);
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    expect(text(failure.encodedAttributes?.data)).not.toContain('admin@corp.example');
    expect(text(failure.encodedAttributes?.metadata?.encoding)).toBe('binary/encrypted');

    const decoded = await decodeOptionalFailureToOptionalError(converter, failure);
    expect(decoded?.message).toBe('Access denied for admin@corp.example');
  });

  it('still hides failure messages in an encoded payload when there is no keyring, but does not encrypt', async () => {
    const converter = loadDataConverter(createDataConverter());
    expect(converter.payloadCodecs).toEqual([]);
    const failure = await encodeErrorToFailure(converter, ApplicationFailure.create({ message: 'boom' }));
    expect(failure.message).toBe('Encoded failure');
    expect(text(failure.encodedAttributes?.metadata?.encoding)).toBe('json/plain');
    expect(text(failure.encodedAttributes?.data)).toContain('boom');
  });
});
