import { ApplicationFailure, sleep } from '@temporalio/workflow';
import { durationMs } from '../model/key-rotation';
import type { stepActivities } from './activity-options';
import type { StepRecorder } from './domain-steps';

export interface KeyReplicationWait {
  domain: string;
  /** The DC the key was written on. */
  sourceServer: string;
  /** Every writable DC that must hold the key. */
  servers: string[];
  /** A rotation's new KeyVersion; absent = whatever the source DC holds. */
  expectedKeyVersion?: number;
  domainCredentialRef?: string;
  timeout: string;
  pollInterval: string;
}

/**
 * Durable timers and polling until every writable DC holds the key (krbtgt_AzureAD and CN=AzureADKerberos), or the
 * timeout: then the step fails with the DCs that lag. Records the step `kerberos.replication-wait`.
 */
export async function waitForKeyReplication(acts: ReturnType<typeof stepActivities>, steps: StepRecorder, wait: KeyReplicationWait): Promise<void> {
  const deadline = Date.now() + durationMs(wait.timeout);
  const pollEvery = durationMs(wait.pollInterval);
  const startedAt = new Date().toISOString();
  const expected = wait.expectedKeyVersion === undefined ? {} : { expectedKeyVersion: wait.expectedKeyVersion };
  const target = wait.expectedKeyVersion === undefined ? '' : ` key version ${wait.expectedKeyVersion}`;
  for (let poll = 1; ; poll += 1) {
    const check = await acts.kerberosCheckReplication({ domain: wait.domain, sourceServer: wait.sourceServer, servers: wait.servers, ...expected, domainCredentialRef: wait.domainCredentialRef });
    const lagging = check.result.replicas.filter((r) => !r.caughtUp);
    if (lagging.length === 0) {
      steps.note('kerberos.replication-wait', { status: 'ok', detail: `replicated${target} to ${wait.servers.length} writable DCs (${poll} checks)`, startedAt });
      return;
    }
    if (Date.now() + pollEvery > deadline) {
      const lag = lagging.map((r) => `${r.server}${r.error ? ` (${r.error})` : r.keyVersion !== null && wait.expectedKeyVersion !== undefined ? ` (has ${r.keyVersion})` : ''}`);
      const message = `not replicated${target} within ${wait.timeout}: ${lag.join(', ')}`;
      steps.note('kerberos.replication-wait', { status: 'failed', error: { type: 'ReplicationTimeout', message }, startedAt });
      throw ApplicationFailure.nonRetryable(message, 'ReplicationTimeout');
    }
    await sleep(pollEvery);
  }
}
