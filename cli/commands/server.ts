import { isIP } from 'node:net';
import { TriggerError } from '../../client/errors';
import type { TemporalService } from '../../worker/temporal-service';
import type { CommandSpec } from '../command';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { positiveInteger } from '../options';
import { runServer } from '../server-lifecycle';

const DEFAULT_API_PORT = 8234;
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** Whether only this machine can reach an address: localhost, 127.0.0.0/8, ::1 (also IPv4-mapped). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const name = bare.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const mapped = name.match(/^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/)?.[1];
  const address = mapped ?? name;
  if (isIP(address) === 4) return address.split('.')[0] === '127';
  if (isIP(address) === 6) return /^(?:0{0,4}:){2,7}0{0,3}1$/.test(address) || address === '::1';
  return false;
}

/** Resolves when SIGINT or SIGTERM arrives. */
function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function serve(ctx: CliContext, options: { host: string; port: number; worker: boolean; corsOrigins: string[] }): Promise<number> {
  const [{ installTemporalRuntimeLogging, createLogger }, { openTemporalService }, { startWorker, shutdownGrace }, { loadCodecKeys }, { connectClient }, api, tokens, hooks] = await Promise.all([
    import('../../worker/log'),
    import('../../worker/temporal-service'),
    import('../../worker/run-worker'),
    import('../../worker/codec-key'),
    import('../../client/connect'),
    import('../../api/server'),
    import('../../api/tokens'),
    import('../../api/hooks'),
  ]);
  installTemporalRuntimeLogging();
  const log = createLogger('server');
  const settings = ctx.settings();
  if (options.worker) shutdownGrace(ctx.env);
  const hookDefinitions = await hooks.loadHooks({ dataDir: settings.dataDir, env: ctx.env });
  const browserHost = WILDCARD_HOSTS.has(options.host) ? '127.0.0.1' : options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const codecEndpoint = `http://${browserHost}:${options.port}/codec`;
  const stopping = shutdownSignal();
  await runServer({
    log,
    stopping,
    openService: () => openTemporalService(settings, settings.mode === 'embedded' ? { uiCodecEndpoint: codecEndpoint } : {}),
    connect: async (service) => {
      const keyring = await loadCodecKeys({ env: ctx.env, dataDir: settings.dataDir, createIfMissing: settings.mode === 'embedded' });
      const client = await connectClient(service, settings);
      return { client, keyring, close: () => client.connection.close() };
    },
    ...(options.worker ? { startWorker: (service: TemporalService) => startWorker(service, settings, ctx.env) } : {}),
    startApi: (service, { client, keyring }) => {
      const uiOrigins = settings.mode === 'embedded' ? [`http://127.0.0.1:${settings.devUiPort}`, `http://localhost:${settings.devUiPort}`] : [];
      return api.startApiServer({
        client,
        taskQueue: service.taskQueue,
        tokens: tokens.openTokenStore(settings.dataDir),
        keyring,
        hooks: hookDefinitions,
        corsOrigins: [...uiOrigins, ...options.corsOrigins],
        host: options.host,
        port: options.port,
      });
    },
    announce: async (service, server, worker) => {
      const ready = {
        temporal: service.address,
        namespace: service.namespace,
        taskQueue: service.taskQueue,
        ...(service.uiUrl ? { webUi: service.uiUrl, uiCodecEndpoint: codecEndpoint } : {}),
        api: server.url,
        apiDocs: `${server.url}/docs`,
        worker: worker ? worker.summary : false,
        hooks: hookDefinitions.map((h) => h.name),
        tokens: (await tokens.openTokenStore(settings.dataDir).list()).length,
      };
      log.info('server ready', ready);
      printReady(ctx, ready);
    },
  });
  return EXIT.ok;
}

function printReady(ctx: CliContext, ready: { temporal: string; webUi?: string; uiCodecEndpoint?: string; api: string; apiDocs: string; worker: unknown; hooks: string[]; tokens: number }): void {
  if (ctx.io.json) {
    ctx.io.emitLine({ event: 'ready', ...ready });
    return;
  }
  ctx.io.out(`cloudtrust server ready (Ctrl-C stops it)`);
  ctx.io.out(`  Temporal  ${ready.temporal}`);
  if (ready.webUi) ctx.io.out(`  Web UI    ${ready.webUi}   (payloads decode through ${ready.uiCodecEndpoint} once you sign in at ${ready.uiCodecEndpoint}/session)`);
  ctx.io.out(`  HTTP API  ${ready.api}   docs: ${ready.apiDocs}`);
  ctx.io.out(`  worker    ${ready.worker ? 'running in this process' : 'none (--no-worker): run `cloudtrust worker` elsewhere'}`);
  ctx.io.out(`  hooks     ${ready.hooks.length > 0 ? ready.hooks.join(', ') : 'none'}`);
  if (ready.tokens === 0) ctx.io.out('  no API token exists yet: `cloudtrust token create <name> --scope operate` prints one');
}

export const serverCommand: CommandSpec = {
  name: 'server',
  group: 'service',
  summary: 'all in one: Temporal (embedded unless TEMPORAL_ADDRESS), a worker, the HTTP API',
  args: [],
  options: {
    host: { type: 'string', value: 'HOST', description: 'where the API listens (default CLOUDTRUST_API_HOST, else 127.0.0.1)' },
    port: { type: 'string', value: 'PORT', description: `the API's port (default CLOUDTRUST_API_PORT, else ${DEFAULT_API_PORT})` },
    'no-worker': { type: 'boolean', description: 'no worker in this process (workers run elsewhere)' },
    'cors-origin': { type: 'string', multiple: true, value: 'ORIGIN', description: 'a browser origin allowed to call the API, besides the embedded Web UI' },
  },
  details: [
    'In embedded mode the dev server keeps its SQLite file in CLOUDTRUST_DATA_DIR and its Web UI decodes payloads through',
    "the API's codec endpoint. API tokens are in CLOUDTRUST_DATA_DIR (`cloudtrust token`); webhooks in hooks.json there",
    '(or CLOUDTRUST_HOOKS_FILE). Runs until Ctrl-C / SIGTERM; running activities get CLOUDTRUST_SHUTDOWN_GRACE to finish.',
  ],
  async run(ctx, input) {
    const host = input.string('host') ?? ctx.env.CLOUDTRUST_API_HOST?.trim() ?? '127.0.0.1';
    const port = positiveInteger('port', input.string('port') ?? ctx.env.CLOUDTRUST_API_PORT?.trim(), DEFAULT_API_PORT);
    if (port > 65535) throw new TriggerError('invalid-input', `--port ${port} is not a TCP port`);
    if (!isLoopbackHost(host)) {
      ctx.io.warn(
        `the API listens on ${host}, not only on this machine, over plain HTTP: API bearer tokens and the codec sign-in travel in clear. ` +
          'Put a TLS-terminating reverse proxy in front of it (and keep the port itself unreachable from other hosts).',
      );
    }
    return serve(ctx, { host, port, worker: !input.flag('no-worker'), corsOrigins: input.strings('cors-origin') });
  },
};
