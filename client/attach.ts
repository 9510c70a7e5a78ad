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
  const keyring = await loadCodecKeys({ dataDir: settings.dataDir, createIfMissing: settings.mode === 'embedded' });
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: createDataConverter(keyring) });
  return { client, address, taskQueue: settings.taskQueue, close: () => connection.close() };
}
