import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { projectRoot } from '../../activities/bridge/paths';
import type { PowerShellPool } from '../../activities/bridge/pool';
import { secretStoreFromEnv } from '../../activities/secrets';
import type { LabEstate } from '../../lab/estate/schema';
import type { EstateStore } from '../../lab/estate/store';
import { sampleSecretsFile } from '../../lab/estate/samples';
import { createCloudtrustWorker } from '../../worker/create-worker';
import { labEstateFile } from '../steps/lab-estate';
import { labPool } from '../transport/pool-fixture';
import { startWorkflowTestContext, type WorkflowTestContext } from '../workflow/environment';

export interface LabWorkerOptions {
  /** Changes to this worker's copy of the default lab estate, made before the worker starts. */
  adjust?: (estate: LabEstate) => void;
  /** The task queue is `<prefix>-<random>`; default `lab`. */
  taskQueuePrefix?: string;
}

export interface LabWorker {
  context: WorkflowTestContext;
  taskQueue: string;
  /** The worker's private copy of the lab estate. */
  store: EstateStore;
  pool: PowerShellPool;
  /** The worker running now (a new one after restartWorker). */
  worker: Worker;
  /** Shuts the worker down and waits for it; starts a new one (a fresh workflow cache) on the same task queue when asked. */
  restartWorker(between?: () => Promise<void>): Promise<void>;
  /** Shuts the worker down and waits for it, then closes the pool and the server. */
  stop(): Promise<void>;
}

/**
 * A real Temporal dev server (startWorkflowTestContext) and a cloudtrust worker running in this process on a task
 * queue of its own: a lab PowerShell pool of two on a private copy of the default estate, with the lab's secrets.
 */
export async function startLabWorker(options: LabWorkerOptions = {}): Promise<LabWorker> {
  const context = await startWorkflowTestContext();
  let pool: PowerShellPool | undefined;
  /** The pool, then the server, even if closing the pool fails. */
  const close = async () => {
    try {
      await pool?.close();
    } finally {
      await context.stop();
    }
  };
  try {
    const taskQueue = `${options.taskQueuePrefix ?? 'lab'}-${randomUUID()}`;
    const estate = labEstateFile('default', options.adjust);
    const workerPool = labPool(2, estate.env);
    pool = workerPool;
    const newWorker = () =>
      createCloudtrustWorker({
        connection: context.env.nativeConnection,
        namespace: context.env.namespace ?? 'default',
        taskQueue,
        pool: workerPool,
        secrets: secretStoreFromEnv({ CLOUDTRUST_SECRETS_FILE: sampleSecretsFile(projectRoot(), 'default') }),
        dataConverter: context.dataConverter,
        workflowBundle: context.bundle,
      });
    let worker = await newWorker();
    let running = worker.run();
    const lab: LabWorker = {
      context,
      taskQueue,
      store: estate.store,
      pool: workerPool,
      worker,
      async restartWorker(between) {
        worker.shutdown();
        await running;
        await between?.();
        worker = await newWorker();
        running = worker.run();
        lab.worker = worker;
      },
      async stop() {
        try {
          worker.shutdown();
          await running;
        } finally {
          await close();
        }
      },
    };
    return lab;
  } catch (error) {
    await close();
    throw error;
  }
}
