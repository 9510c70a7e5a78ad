import { Client } from '@temporalio/client';
import { loadCodecKeys } from '../worker/codec-key';
import type { TemporalSettings } from '../worker/connection-config';
import { createDataConverter } from '../worker/data-converter';
import type { TemporalService } from '../worker/temporal-service';

/** A Temporal client with the project's data converter (payloads decrypt with the same keyring as the worker). */
export async function connectClient(service: TemporalService, settings: TemporalSettings): Promise<Client> {
  const keyring = await loadCodecKeys({ dataDir: settings.dataDir, createIfMissing: settings.mode === 'embedded' });
  return new Client({ connection: await service.clientConnection(), namespace: service.namespace, dataConverter: createDataConverter(keyring) });
}
