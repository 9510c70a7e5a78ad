import { Client, Connection } from '@temporalio/client';
import { loadCodecKeys } from '../worker/codec-key';
import { clientConnectionOptions, type TemporalSettings } from '../worker/connection-config';
import { createDataConverter } from '../worker/data-converter';
import { TriggerError } from './errors';

export interface AttachedClient {
  client: Client;
  address: string;
  taskQueue: string;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 3_000;

/**
 * A client of the Temporal server that is already running — the embedded one `cloudtrust server` started, or the
 * external one TEMPORAL_ADDRESS names. Never starts a server: a command that finds none says how to start one.
 */
export async function attachClient(settings: TemporalSettings): Promise<AttachedClient> {
  const options = settings.mode === 'external' ? clientConnectionOptions(settings) : { address: `127.0.0.1:${settings.devPort}` };
  const address = options.address ?? 'localhost:7233';
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...options, connectTimeout: CONNECT_TIMEOUT_MS });
    await connection.workflowService.describeNamespace({ namespace: settings.namespace });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TriggerError(
      'unavailable',
      `no Temporal server answers at ${address} for namespace ${settings.namespace} (${reason})`,
      settings.mode === 'embedded' ? 'start the embedded lab with `cloudtrust server` in another terminal, or set TEMPORAL_ADDRESS' : 'check TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and the TLS / API key settings',
    );
  }
  // Never create a key here: payloads encrypted with a key the worker does not hold could never be read.
  const keyring = await loadCodecKeys({ dataDir: settings.dataDir, createIfMissing: false });
  if (!keyring && settings.mode === 'embedded') {
    await connection.close();
    // The embedded worker always has a key (it creates one in its data dir): no key here means another data dir.
    throw new TriggerError(
      'invalid-input',
      `no payload key in ${settings.dataDir} (codec.key), so nothing sent to the embedded server could be read by its worker`,
      'run the command where `cloudtrust server` runs, or set CLOUDTRUST_DATA_DIR (or CLOUDTRUST_CODEC_KEY / CLOUDTRUST_CODEC_KEY_FILE) to what the server uses',
    );
  }
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: createDataConverter(keyring) });
  return { client, address, taskQueue: settings.taskQueue, close: () => connection.close() };
}
