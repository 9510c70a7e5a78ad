import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Io } from './io';

/** How many workers polled the task queue for workflow tasks lately; undefined when the server does not say. */
export async function workflowPollers(client: Client, taskQueue: string): Promise<number | undefined> {
  try {
    const response = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return response.pollers?.length ?? 0;
  } catch {
    return undefined;
  }
}

/** A run started on a queue no worker polls waits silently; say so before starting it. */
export async function warnIfNoWorker(io: Io, client: Client, taskQueue: string): Promise<void> {
  if ((await workflowPollers(client, taskQueue)) === 0) {
    io.warn(`no worker polls task queue ${taskQueue}: the run waits until one does (start \`cloudtrust worker\` or \`cloudtrust server\`)`);
  }
}
