// Run as its own Node process with DEBUG=* by hazards.test.ts: node-powershell's `debug` output would print
// every command line it sends (base64 arguments, credentials included) to stdout.
import { runStep } from '../../../activities/bridge/run-step';
import { echoStep } from '../../../activities/steps/echo';
import { pwshPool } from '../pool-fixture';

async function main(): Promise<void> {
  const pool = pwshPool(1);
  await runStep(pool, echoStep, { text: 'x', credential: { userName: 'admin@corp.example.com', password: 'Pa55-w0rd-in-debug' } });
  await pool.close();
  process.stdout.write('call done\n');
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(2);
});
