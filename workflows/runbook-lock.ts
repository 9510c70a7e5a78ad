import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ApplicationFailure, condition, startChild } from '@temporalio/workflow';

/**
 * Held by a running runbook as its child: it never finishes by itself and ends when its parent closes (the default
 * parent-close policy terminates it). Its fixed id is the lock — a second runbook of the same kind for the same spec,
 * whether started by hand, by the API or by a schedule (whose runs get their own ids), cannot start it.
 */
export async function runbookLock(): Promise<void> {
  await condition(() => false);
}

export const runbookLockId = (runbook: string, specName: string) => `cloudtrust-lock:${runbook}:${specName}`;

export async function holdRunbookLock(runbook: 'rotate-keys' | 'rollback' | 'migrate-intune', specName: string): Promise<void> {
  const workflowId = runbookLockId(runbook, specName);
  try {
    await startChild(runbookLock, { workflowId });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw ApplicationFailure.nonRetryable(`another ${runbook} run of ${specName} is in progress (it holds ${workflowId}); nothing was changed`, 'Conflict');
    }
    throw error;
  }
}
