import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type Keyring } from './codec';

/** The one data converter used by the worker, every client and the tests. Without a keyring payloads stay clear. */
export function createDataConverter(keyring?: Keyring): DataConverter {
  return {
    payloadCodecs: keyring ? [new EncryptionCodec(keyring)] : [],
    // A path rather than an instance: the workflow sandbox loads its own copy.
    failureConverterPath: require.resolve('./failure-converter'),
  };
}
