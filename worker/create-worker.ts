import type { DataConverter, Duration } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { PowerShellPool } from '../activities/bridge/pool';
import { secretStoreFromEnv, type SecretStore } from '../activities/secrets';

export interface CloudtrustWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: PowerShellPool;
  /** Where secret references resolve; default: the environment (CLOUDTRUST_SECRET_*, CLOUDTRUST_SECRETS_FILE). */
  secrets?: SecretStore;
  dataConverter: DataConverter;
  /** A prebuilt bundle (tests bundle once per suite); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkflowBundle;
  /** False for a worker that only runs step activities (e.g. a second site's queue); workflows run elsewhere. */
  runWorkflows?: boolean;
  /** How long running activities may finish after SIGINT/SIGTERM before they are cancelled. */
  shutdownGraceTime?: Duration;
}

export function createCloudtrustWorker(options: CloudtrustWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.runWorkflows === false ? {} : options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ pool: options.pool, secrets: options.secrets ?? secretStoreFromEnv() }),
    dataConverter: options.dataConverter,
    maxConcurrentActivityTaskExecutions: options.pool.stats().size,
    shutdownGraceTime: options.shutdownGraceTime ?? '30 seconds',
  });
}
