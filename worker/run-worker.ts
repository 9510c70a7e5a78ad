import { readFileSync } from 'node:fs';
import type { Duration } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { z } from 'zod';
import { resolveExecutable } from '../activities/bridge/executable';
import { projectRoot } from '../activities/bridge/paths';
import { secretStoreFromEnv, type SecretStore } from '../activities/secrets';
import { estateFileOf } from '../lab/estate/estate-file';
import { sampleNamed, sampleSecretsFile } from '../lab/estate/samples';
import { loadCodecKeys } from './codec-key';
import { loadTemporalSettings, type TemporalSettings } from './connection-config';
import { createCloudtrustWorker } from './create-worker';
import { createDataConverter } from './data-converter';
import { createLogger, installTemporalRuntimeLogging } from './log';
import { createPowerShellPool } from './powershell-pool';
import { openTemporalService, type TemporalService } from './temporal-service';

const graceTime = z
  .string()
  .regex(/^\d+\s*(ms|s|m|seconds?|minutes?)$/, 'must be a duration such as 30s or 5m')
  .default('30s');

/** CLOUDTRUST_SHUTDOWN_GRACE, checked before anything starts. */
export function shutdownGrace(env: NodeJS.ProcessEnv = process.env): Duration {
  const grace = graceTime.safeParse(env.CLOUDTRUST_SHUTDOWN_GRACE);
  if (!grace.success) throw new Error(`CLOUDTRUST_SHUTDOWN_GRACE ${grace.error.issues[0].message}`);
  return grace.data as Duration;
}

export interface StartedWorker {
  worker: Worker;
  /** What the worker runs against, for its "ready" log line. */
  summary: Record<string, unknown>;
  /** Closes the worker's connection and PowerShell pool; call once `worker.run()` has returned. */
  close(): Promise<void>;
}

/**
 * A cloudtrust worker on an open Temporal service: the payload keyring, a warm PowerShell pool, workflows unless
 * CLOUDTRUST_ACTIVITIES_ONLY=true. It is created, not run: the caller runs it (SIGINT/SIGTERM shut it down).
 */
export async function startWorker(service: TemporalService, settings: TemporalSettings, env: NodeJS.ProcessEnv = process.env): Promise<StartedWorker> {
  const grace = shutdownGrace(env);
  const runWorkflows = env.CLOUDTRUST_ACTIVITIES_ONLY !== 'true';
  const poolEnv = { ...env, CLOUDTRUST_DATA_DIR: settings.dataDir };
  const executable = resolveExecutable(poolEnv);
  const keyring = await loadCodecKeys({ env, dataDir: settings.dataDir, createIfMissing: settings.mode === 'embedded' });
  const secrets = workerSecrets(poolEnv, executable.kind);
  const pool = createPowerShellPool(poolEnv);
  try {
    await pool.warm();
    const connection = await service.nativeConnection();
    try {
      const worker = await createCloudtrustWorker({
        connection,
        namespace: service.namespace,
        taskQueue: service.taskQueue,
        pool,
        secrets: secrets.store,
        dataConverter: createDataConverter(keyring),
        shutdownGraceTime: grace,
        runWorkflows,
      });
      const summary = {
        temporal: service.address,
        namespace: service.namespace,
        taskQueue: service.taskQueue,
        runsWorkflows: runWorkflows,
        webUi: service.uiUrl,
        powershell: executable.kind,
        ...(executable.kind === 'lab' ? { labEstate: estateFileOf(poolEnv) } : {}),
        secrets: secrets.source,
        poolSize: pool.stats().size,
        payloadEncryption: keyring ? 'on' : 'off',
      };
      return {
        worker,
        summary,
        close: async () => {
          await connection.close();
          await pool.close();
        },
      };
    } catch (error) {
      await connection.close();
      throw error;
    }
  } catch (error) {
    await pool.close();
    throw error;
  }
}

/**
 * Where the worker's credentials come from: the environment (CLOUDTRUST_SECRET_*, CLOUDTRUST_SECRETS_FILE); against
 * the lab, without a secrets file, the lab secrets of the sample the estate was seeded from.
 */
function workerSecrets(env: NodeJS.ProcessEnv, powershell: string): { store: SecretStore; source: string } {
  if (powershell !== 'lab' || env.CLOUDTRUST_SECRETS_FILE) return { store: secretStoreFromEnv(env), source: env.CLOUDTRUST_SECRETS_FILE ?? 'environment' };
  const root = projectRoot();
  const file = sampleSecretsFile(root, labSampleOf(env, root) ?? 'default');
  return { store: secretStoreFromEnv({ ...env, CLOUDTRUST_SECRETS_FILE: file }), source: file };
}

function labSampleOf(env: NodeJS.ProcessEnv, root: string) {
  try {
    const estate = JSON.parse(readFileSync(estateFileOf(env), 'utf8')) as { name?: unknown };
    return typeof estate.name === 'string' ? sampleNamed(root, estate.name) : undefined;
  } catch {
    return undefined;
  }
}

/** The long-running worker: embedded dev server unless TEMPORAL_ADDRESS is set; stops gracefully on SIGINT/SIGTERM. */
export async function runWorker(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  installTemporalRuntimeLogging();
  const log = createLogger('worker');
  shutdownGrace(env);
  const settings = loadTemporalSettings(env);
  const service = await openTemporalService(settings);
  try {
    const started = await startWorker(service, settings, env);
    try {
      log.info('worker ready', started.summary);
      await started.worker.run();
      log.info('worker stopped');
    } finally {
      await started.close();
    }
  } finally {
    await service.stop();
  }
}
