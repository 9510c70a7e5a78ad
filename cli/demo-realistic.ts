import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { projectRoot } from '../activities/bridge/paths';
import { secretStoreFromEnv } from '../activities/secrets';
import { connectClient } from '../client/connect';
import { writeReportFiles } from '../client/report-files';
import { isRolloutRecord, type RolloutReport } from '../model/report-types';
import type { rollout } from '../workflows/rollout';
import { taskQueueFor } from '../model/routing';
import type { RolloutSpec } from '../model/spec';
import { parseSpec } from '../model/spec-file';
import { loadCodecKeys } from '../worker/codec-key';
import { encryptionKeyId } from '../worker/codec';
import { loadTemporalSettings } from '../worker/connection-config';
import { createCloudtrustWorker } from '../worker/create-worker';
import { createDataConverter } from '../worker/data-converter';
import { installTemporalRuntimeLogging } from '../worker/log';
import { createPowerShellPool } from '../worker/powershell-pool';
import { openTemporalService } from '../worker/temporal-service';
import { estatePath } from '../lab/estate/estate-file';
import { demoRollout } from './demo-rollout';

const say = (line = '') => process.stdout.write(`${line}\n`);
const rel = (file: string) => path.relative(process.cwd(), file) || '.';

/** Its own data dir and ports, so it runs beside `npm run demo` or `npm run worker`; the usual variables override them. */
const DEFAULTS = { CLOUDTRUST_DATA_DIR: path.join('.cloudtrust', 'realistic'), CLOUDTRUST_DEV_PORT: '7243', CLOUDTRUST_DEV_UI_PORT: '8243' };

/**
 * The realistic lab estate (lab/estates/realistic.json) rolled out by specs/lab-realistic.yaml with two workers:
 * the main one (workflows and activities) on the default queue, and an activities-only worker on the queue that
 * specs/lab-realistic.yaml routes the Tailspin Toys forest to, as a worker at that site would. Several Fabrikam
 * domains fail preflight on purpose (RODC-only site, old or RC4-only DCs, a certificate-trust GPO). The approval
 * gate is approved as "demo". Prints per-domain progress, which queue ran each domain, where the report is, then stops.
 */
async function run(): Promise<void> {
  process.env.CLOUDTRUST_LOG_LEVEL ??= 'warn';
  installTemporalRuntimeLogging();
  const root = projectRoot();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLOUDTRUST_DATA_DIR: process.env.CLOUDTRUST_DATA_DIR ?? DEFAULTS.CLOUDTRUST_DATA_DIR,
    CLOUDTRUST_DEV_PORT: process.env.CLOUDTRUST_DEV_PORT ?? DEFAULTS.CLOUDTRUST_DEV_PORT,
    CLOUDTRUST_DEV_UI_PORT: process.env.CLOUDTRUST_DEV_UI_PORT ?? DEFAULTS.CLOUDTRUST_DEV_UI_PORT,
    CLOUDTRUST_POWERSHELL: process.env.CLOUDTRUST_POWERSHELL ?? 'lab',
    CLOUDTRUST_SECRETS_FILE: process.env.CLOUDTRUST_SECRETS_FILE ?? path.join(root, 'lab', 'estates', 'realistic.secrets.json'),
  };
  if (env.CLOUDTRUST_POWERSHELL !== 'lab') throw new Error('the realistic demo runs against the lab estate; unset CLOUDTRUST_POWERSHELL');
  const settings = loadTemporalSettings(env);
  env.CLOUDTRUST_LAB_ESTATE = estatePath({ ...env, CLOUDTRUST_DATA_DIR: settings.dataDir }, root, 'realistic');
  const specFile = path.join(root, 'specs', 'lab-realistic.yaml');
  const spec = parseSpec(await readFile(specFile, 'utf8'), specFile);
  const mainQueue = settings.taskQueue;
  const siteQueue = siteQueueOf(spec, mainQueue);

  say(`cloudtrust realistic demo: rollout "${spec.name}" of ${spec.domains.length} domains in two forests, spec ${rel(specFile)}`);
  say(`lab estate ${rel(env.CLOUDTRUST_LAB_ESTATE)} (seeded from lab/estates/realistic.json; delete it to start over)`);
  for (const domain of spec.domains) say(`  ${domain.name.padEnd(20)} ${domain.channel.padEnd(7)} → task queue ${taskQueueFor(spec, domain.name, mainQueue)}`);
  say(settings.mode === 'embedded' ? `starting the embedded Temporal dev server on port ${settings.devPort}…` : `connecting to Temporal at ${settings.address}…`);
  const service = await openTemporalService(settings);
  const mainPool = createPowerShellPool(env);
  const sitePool = createPowerShellPool(env);
  try {
    const keyring = await loadCodecKeys({ env, dataDir: settings.dataDir, createIfMissing: true });
    say(`Temporal ${service.address} (namespace ${service.namespace}); payloads encrypted with key ${keyring ? encryptionKeyId(keyring.current) : '(none)'}`);
    await Promise.all([mainPool.warm(), sitePool.warm()]);
    const connection = await service.nativeConnection();
    const client = await connectClient(service, settings);
    try {
      const common = { connection, namespace: service.namespace, secrets: secretStoreFromEnv(env), dataConverter: createDataConverter(keyring) };
      const mainWorker = await createCloudtrustWorker({ ...common, taskQueue: mainQueue, pool: mainPool });
      const siteWorker = await createCloudtrustWorker({ ...common, taskQueue: siteQueue, pool: sitePool, runWorkflows: false });
      say(`workers: ${mainQueue} (workflows + activities), ${siteQueue} (activities only, as at the Tailspin Toys site; the SDK's "No workflows registered" warning for it is expected)`);
      const report = await alongside(siteWorker, () => mainWorker.runUntil(demoRollout(client, spec, mainQueue, say)));
      const files = await writeReportFiles(settings.dataDir, report);
      say();
      say('which queue ran each domain:');
      for (const d of report.domains) say(`  ${d.domain.padEnd(20)} ${d.status.padEnd(10)} ${d.taskQueue}`);
      const perQueue = await activitiesPerQueue(client, report);
      say(`activities per task queue (from the histories): ${[...perQueue].map(([queue, n]) => `${queue} ${n}`).join(', ')}`);
      say();
      say(`${report.domains.filter((d) => d.status === 'succeeded').length} of ${report.domains.length} domains rolled out; ${report.domains.filter((d) => d.status === 'not-ready').length} not ready (see the findings in the report).`);
      say(`report: ${rel(files.markdown)} (also .html and .json)`);
      if (service.uiUrl) say(`Web UI: ${service.uiUrl}/namespaces/${service.namespace}/workflows  (served only while this demo runs)`);
    } finally {
      await client.connection.close();
      await connection.close();
    }
  } finally {
    await Promise.all([mainPool.close(), sitePool.close()]);
    await service.stop();
  }
}

/** The one queue the spec routes a forest to, other than the main worker's. */
function siteQueueOf(spec: RolloutSpec, mainQueue: string): string {
  const queues = [...new Set(spec.domains.map((d) => taskQueueFor(spec, d.name, mainQueue)))].filter((q) => q !== mainQueue);
  if (queues.length !== 1) throw new Error(`specs/lab-realistic.yaml must route exactly one forest to a second task queue; it routes to ${queues.join(', ') || 'none'}`);
  return queues[0];
}

/** Runs `worker` while `work` runs, then shuts it down; fails fast if it stops on its own. */
async function alongside<T>(worker: Worker, work: () => Promise<T>): Promise<T> {
  let stopping = false;
  const running = worker.run();
  const stoppedEarly = running.then(() => {
    if (!stopping) throw new Error('the site worker stopped before the rollout finished');
    return new Promise<never>(() => undefined);
  });
  const stop = () => {
    stopping = true;
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  let result: T;
  try {
    result = await Promise.race([work(), stoppedEarly]);
  } catch (error) {
    stop();
    await running.catch(() => undefined);
    throw error;
  }
  stop();
  await running;
  return result;
}

/** Where the step activities of this rollout were scheduled, counted from the rollout's and its children's histories. */
async function activitiesPerQueue(client: Client, report: RolloutReport): Promise<Map<string, number>> {
  const rolloutId = `cloudtrust:${report.name}`;
  const own = await client.workflow.getHandle<typeof rollout>(rolloutId).result();
  const batches = isRolloutRecord(own) ? own.batches.map((b) => b.workflowId) : [];
  const workflowIds = [rolloutId, ...batches, ...report.domains.filter((d) => d.startedAt).map((d) => `${rolloutId}/domain/${d.domain}`)];
  const counts = new Map<string, number>();
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    for (const event of history.events ?? []) {
      const queue = event.activityTaskScheduledEventAttributes?.taskQueue?.name;
      if (queue) counts.set(queue, (counts.get(queue) ?? 0) + 1);
    }
  }
  return counts;
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`cloudtrust realistic demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
