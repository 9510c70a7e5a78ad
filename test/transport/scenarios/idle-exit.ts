// Run as its own Node process by hazards.test.ts: Node 20 exits with code 1 on an unhandled rejection,
// which is what node-powershell produces when a shell exits non-zero while no call is pending.
import { runStep } from '../../../activities/bridge/run-step';
import { fixtures } from '../fixture-steps';
import { isProcessAlive, pwshPool, waitFor } from '../pool-fixture';

async function main(): Promise<void> {
  const pool = pwshPool(1);
  const first = await runStep(pool, fixtures.exitAfterReply, { delayMs: 100, code: 5 });
  await waitFor(() => !isProcessAlive(first.result.pid));
  await waitFor(() => pool.stats().live === 0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await pool.close();
  process.stdout.write('node survived the idle exit\n');
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(2);
});
