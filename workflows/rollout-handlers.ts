import { setHandler } from '@temporalio/workflow';
import { approveRingUpdate, cancelRolloutUpdate, pauseRolloutUpdate, resumeRolloutUpdate, rolloutProgressQuery } from './messages';
import type { RolloutRun } from './rollout-run';

/** The rollout's query and updates; each acts on the run's state. */
export function installRolloutHandlers(run: RolloutRun): void {
  setHandler(rolloutProgressQuery, () => run.report);
  setHandler(approveRingUpdate, ({ ring, approver, comment }) => run.approve(ring, approver, comment), {
    validator: ({ ring }: { ring: string }) => run.validateApproval(ring),
  });
  setHandler(pauseRolloutUpdate, ({ by }) => run.pause(by), { validator: (_request) => refuseWhenFinished(run) });
  setHandler(resumeRolloutUpdate, ({ by }) => run.resume(by), {
    validator: (_request) => {
      if (!run.paused) throw new Error('the rollout is not paused');
    },
  });
  setHandler(cancelRolloutUpdate, ({ by, reason }) => run.cancel(by, reason), { validator: (_request) => refuseWhenFinished(run) });
}

function refuseWhenFinished(run: RolloutRun): void {
  if (run.finished()) throw new Error(`the rollout is already ${run.report.state}`);
}
