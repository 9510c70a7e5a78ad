import { Client } from '@temporalio/client';
import { projectRoot } from '../activities/bridge/paths';
import { EstateStore } from '../lab/estate/store';
import { estatePath } from '../lab/host/estate-file';
import { loadCodecKeys } from '../worker/codec-key';
import { encryptionKeyId } from '../worker/codec';
import { loadTemporalSettings } from '../worker/connection-config';
import { createCloudtrustWorker } from '../worker/create-worker';
import { createDataConverter } from '../worker/data-converter';
import { installTemporalRuntimeLogging } from '../worker/log';
import { createPowerShellPool } from '../worker/powershell-pool';
import { openTemporalService } from '../worker/temporal-service';
import { preflightDomain } from '../workflows';
import { renderPreflight } from './render-preflight';

const say = (line = '') => process.stdout.write(`${line}\n`);

/**
 * The main job on the embedded default: a Temporal dev server (SQLite under .cloudtrust/), a worker, and the
 * PowerShell bridge speaking to the lab host. Runs the preflight of every domain in the lab estate, prints the
 * results and the Web UI address, then stops everything.
 */
async function run(): Promise<void> {
  process.env.CLOUDTRUST_LOG_LEVEL ??= 'warn';
  installTemporalRuntimeLogging();
  const env = { ...process.env, CLOUDTRUST_POWERSHELL: process.env.CLOUDTRUST_POWERSHELL ?? 'lab' };
  if (env.CLOUDTRUST_POWERSHELL !== 'lab') throw new Error('the demo runs against the lab estate; unset CLOUDTRUST_POWERSHELL');
  const settings = loadTemporalSettings(env);
  const estateFile = estatePath({ ...env, CLOUDTRUST_DATA_DIR: settings.dataDir }, projectRoot());
  const estate = await new EstateStore(estateFile).read();
  const domains = estate.forests.flatMap((f) => f.domains.map((d) => d.dnsName));

  say(`cloudtrust demo: preflight of the lab estate "${estate.name}" (${domains.length} domains), file ${estateFile}`);
  say(settings.mode === 'embedded' ? 'starting the embedded Temporal dev server…' : `connecting to Temporal at ${settings.address}…`);
  const service = await openTemporalService(settings);
  const pool = createPowerShellPool({ ...env, CLOUDTRUST_DATA_DIR: settings.dataDir });
  try {
    const keyring = await loadCodecKeys({ env, dataDir: settings.dataDir, createIfMissing: true });
    const dataConverter = createDataConverter(keyring);
    say(`Temporal ${service.address} (namespace ${service.namespace}); payloads encrypted with key ${keyring ? encryptionKeyId(keyring.current) : '(none)'}`);
    await pool.warm();
    const connection = await service.nativeConnection();
    const client = new Client({ connection: await service.clientConnection(), namespace: service.namespace, dataConverter });
    try {
      const worker = await createCloudtrustWorker({ connection, namespace: service.namespace, taskQueue: service.taskQueue, pool, dataConverter });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const reports = await worker.runUntil(
        Promise.all(
          domains.map((domain) =>
            client.workflow.execute(preflightDomain, { taskQueue: service.taskQueue, workflowId: `preflight/${domain}/${stamp}`, args: [{ domain }] }),
          ),
        ),
      );
      say();
      for (const report of reports) for (const line of renderPreflight(report)) say(line);
      say();
      let earlier = 0;
      for await (const execution of client.workflow.list({ query: `WorkflowType = 'preflightDomain'` })) {
        if (!execution.workflowId.endsWith(stamp)) earlier += 1;
      }
      say(`${reports.filter((r) => r.ready).length} of ${reports.length} domains ready. ${earlier} earlier preflight runs are kept in ${settings.dataDir}.`);
      if (service.uiUrl) say(`Web UI: ${service.uiUrl}/namespaces/${service.namespace}/workflows  (served while cloudtrust runs; \`npm run worker\` keeps it up)`);
    } finally {
      await client.connection.close();
      await connection.close();
    }
  } finally {
    await pool.close();
    await service.stop();
  }
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`cloudtrust demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
