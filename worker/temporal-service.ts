import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../model/search-attributes';
import { clientConnectionOptions, nativeConnectionOptions, type TemporalSettings } from './connection-config';
import { startDevServer, type DevServer } from './dev-server';
import { ensureTemporalCli } from './temporal-cli';

/** The Temporal service this process talks to: the embedded dev server (started here) or an external cluster. */
export interface TemporalService {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Web UI address when known (embedded mode). */
  uiUrl?: string;
  nativeConnection(): Promise<NativeConnection>;
  clientConnection(): Promise<Connection>;
  stop(): Promise<void>;
}

export async function openTemporalService(settings: TemporalSettings, options: { uiCodecEndpoint?: string } = {}): Promise<TemporalService> {
  if (settings.mode === 'external') {
    return {
      address: settings.address,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      nativeConnection: () => NativeConnection.connect(nativeConnectionOptions(settings)),
      clientConnection: () => Connection.connect(clientConnectionOptions(settings)),
      stop: async () => undefined,
    };
  }
  const cliPath = await ensureTemporalCli();
  const server: DevServer = await startDevServer({
    cliPath,
    dataDir: settings.dataDir,
    port: settings.devPort,
    uiPort: settings.devUiPort,
    namespace: settings.namespace,
    searchAttributes: { ...SEARCH_ATTRIBUTES },
    ...(options.uiCodecEndpoint ? { uiCodecEndpoint: options.uiCodecEndpoint } : {}),
  });
  return {
    address: server.address,
    namespace: server.namespace,
    taskQueue: settings.taskQueue,
    uiUrl: server.uiUrl,
    nativeConnection: () => NativeConnection.connect({ address: server.address }),
    clientConnection: () => Connection.connect({ address: server.address }),
    stop: () => server.stop(),
  };
}
