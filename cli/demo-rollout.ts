import type { Client } from '@temporalio/client';
import { startRollout } from '../client/rollouts';
import type { RolloutReport } from '../model/report-types';
import type { RolloutSpec } from '../model/spec';
import { approveRingUpdate } from '../workflows/messages';
import { followRollout } from './follow';

/** Starts (or joins) the demo's rollout and follows it, approving every gate as "demo". */
export async function demoRollout(client: Client, spec: RolloutSpec, taskQueue: string, say: (line: string) => void): Promise<RolloutReport> {
  const started = await startRollout(client, spec, 'apply', taskQueue);
  say(`${started.started ? 'started' : 'joined'} ${started.workflowId}`);
  return followRollout(client, started.workflowId, {
    write: say,
    onApprovalWanted: async (ring) => {
      say(`  ring ${ring} waits for approval — approving as "demo" (otherwise an approver runs \`cloudtrust approve ${started.workflowId} --ring ${ring}\`)`);
      await started.handle.executeUpdate(approveRingUpdate, { args: [{ ring, approver: 'demo' }] });
    },
  });
}
