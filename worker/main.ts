import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import { resolveExecutable } from '../activities/bridge/executable';
import { loadCodecKeys } from './codec-key';
import { loadTemporalSettings } from './connection-config';
import { createCloudtrustWorker } from './create-worker';
import { createDataConverter } from './data-converter';
import { createLogger, installTemporalRuntimeLogging } from './log';
import { createPowerShellPool } from './powershell-pool';
import { openTemporalService } from './temporal-service';

const graceTime = z
  .string()
  .regex(/^\d+\s*(ms|s|m|seconds?|minutes?)$/, 'must be a duration such as 30s or 5m')
  .default('30s');

/** Long-running worker: embedded dev server unless TEMPORAL_ADDRESS is set; stops gracefully on SIGINT/SIGTERM. */
async function run(): Promise<void> {
  installTemporalRuntimeLogging();
  const log = createLogger('worker');
  const grace = graceTime.safeParse(process.env.CLOUDTRUST_SHUTDOWN_GRACE);
  if (!grace.success) throw new Error(`CLOUDTRUST_SHUTDOWN_GRACE ${grace.error.issues[0].message}`);
  const settings = loadTemporalSettings();
  const service = await openTemporalService(settings);
  try {
    const keyring = await loadCodecKeys({ dataDir: settings.dataDir, createIfMissing: settings.mode === 'embedded' });
    const pool = createPowerShellPool();
    await pool.warm();
    const connection = await service.nativeConnection();
    try {
      const worker = await createCloudtrustWorker({
        connection,
        namespace: service.namespace,
        taskQueue: service.taskQueue,
        pool,
        dataConverter: createDataConverter(keyring),
        shutdownGraceTime: grace.data as Duration,
        runWorkflows: process.env.CLOUDTRUST_ACTIVITIES_ONLY !== 'true',
      });
      log.info('worker ready', {
        temporal: service.address,
        namespace: service.namespace,
        taskQueue: service.taskQueue,
        runsWorkflows: process.env.CLOUDTRUST_ACTIVITIES_ONLY !== 'true',
        webUi: service.uiUrl,
        powershell: resolveExecutable().kind,
        poolSize: pool.stats().size,
        payloadEncryption: keyring ? 'on' : 'off',
      });
      await worker.run();
      log.info('worker stopped');
    } finally {
      await connection.close();
      await pool.close();
    }
  } finally {
    await service.stop();
  }
}

run().catch((error: unknown) => {
  createLogger('worker').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
