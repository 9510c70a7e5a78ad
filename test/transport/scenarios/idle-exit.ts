// Run as its own Node process by failures.test.ts: Node 20 exits with code 1 on an unhandled rejection,
// which is what node-powershell produces when a shell exits non-zero while no call is pending.
import { fixtures, isProcessAlive, labPool, waitFor } from '../pool-fixture';
import { runStep } from '../../../activities/bridge/run-step';

async function main(): Promise<void> {
  const pool = labPool(1);
  const first = await runStep(pool, fixtures.exitAfterReply, { delayMs: 100, code: 5 });
  await waitFor(() => !isProcessAlive(first.result.pid));
  await new Promise((resolve) => setTimeout(resolve, 300));
  await pool.close();
  process.stdout.write('node survived the idle exit\n');
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(2);
});
