import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../activities/bridge/paths';
import { secretStoreFromEnv } from '../activities/secrets';
import { connectClient } from '../client/connect';
import { writeReportFiles } from '../client/report-files';
import { parseSpec } from '../model/spec-file';
import { loadCodecKeys } from '../worker/codec-key';
import { encryptionKeyId } from '../worker/codec';
import { loadTemporalSettings } from '../worker/connection-config';
import { createCloudtrustWorker } from '../worker/create-worker';
import { createDataConverter } from '../worker/data-converter';
import { installTemporalRuntimeLogging } from '../worker/log';
import { createPowerShellPool } from '../worker/powershell-pool';
import { openTemporalService } from '../worker/temporal-service';
import { demoRollout } from './demo-rollout';

const say = (line = '') => process.stdout.write(`${line}\n`);

/**
 * The main job on the embedded default: a Temporal dev server (SQLite under .cloudtrust/), a worker, the PowerShell
 * bridge running the real scripts in PowerShell 7 against the lab, and a full rollout of the default lab estate (specs/lab-default.yaml) with live
 * per-domain progress. The approval gate is approved as "demo". Prints where the report is, then stops.
 */
async function run(): Promise<void> {
  process.env.CLOUDTRUST_LOG_LEVEL ??= 'warn';
  installTemporalRuntimeLogging();
  const root = projectRoot();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLOUDTRUST_POWERSHELL: process.env.CLOUDTRUST_POWERSHELL ?? 'lab',
    CLOUDTRUST_SECRETS_FILE: process.env.CLOUDTRUST_SECRETS_FILE ?? path.join(root, 'lab', 'estates', 'default.secrets.json'),
  };
  if (env.CLOUDTRUST_POWERSHELL !== 'lab') throw new Error('the demo runs against the lab estate; unset CLOUDTRUST_POWERSHELL');
  const settings = loadTemporalSettings(env);
  const specFile = path.join(root, 'specs', 'lab-default.yaml');
  const spec = parseSpec(await readFile(specFile, 'utf8'), specFile);

  say(`cloudtrust demo: rollout "${spec.name}" of the lab estate (${spec.domains.length} domains), spec ${path.relative(process.cwd(), specFile)}`);
  say(settings.mode === 'embedded' ? 'starting the embedded Temporal dev server…' : `connecting to Temporal at ${settings.address}…`);
  const service = await openTemporalService(settings);
  const pool = createPowerShellPool({ ...env, CLOUDTRUST_DATA_DIR: settings.dataDir });
  try {
    const keyring = await loadCodecKeys({ env, dataDir: settings.dataDir, createIfMissing: true });
    say(`Temporal ${service.address} (namespace ${service.namespace}); payloads encrypted with key ${keyring ? encryptionKeyId(keyring.current) : '(none)'}`);
    await pool.warm();
    const connection = await service.nativeConnection();
    const client = await connectClient(service, settings);
    try {
      const worker = await createCloudtrustWorker({
        connection,
        namespace: service.namespace,
        taskQueue: service.taskQueue,
        pool,
        secrets: secretStoreFromEnv(env),
        dataConverter: createDataConverter(keyring),
      });
      const report = await worker.runUntil(demoRollout(client, spec, service.taskQueue, say));
      const files = await writeReportFiles(settings.dataDir, report);
      let earlier = 0;
      for await (const execution of client.workflow.list({ query: `CloudtrustSpec = '${spec.name}'` })) {
        if (execution.workflowId.startsWith('cloudtrust:') && execution.status.name !== 'RUNNING') earlier += 1;
      }
      say();
      say(`${report.domains.filter((d) => d.status === 'succeeded').length} of ${report.domains.length} domains rolled out; ${report.domains.filter((d) => d.status === 'not-ready').length} not ready.`);
      say(`report: ${path.relative(process.cwd(), files.markdown)} (also .html and .json)`);
      say(`${earlier} rollout run(s) of ${spec.name} are kept in ${path.relative(process.cwd(), settings.dataDir) || '.'} (the dev server's SQLite file).`);
      if (service.uiUrl) say(`Web UI: ${service.uiUrl}/namespaces/${service.namespace}/workflows  (served while cloudtrust runs; \`npx cloudtrust server\` keeps it up, with the HTTP API)`);
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
