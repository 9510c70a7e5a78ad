import { ensureTemporalCli } from './temporal-cli';

async function run(): Promise<void> {
  const cliPath = await ensureTemporalCli();
  process.stdout.write(`${cliPath}\n`);
}

run().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // A failed build already streamed go's output above, so its tail is not repeated here.
  const summary = message.split('\nLast output:')[0].replace(/\s*\n\s*/g, ' ');
  process.stderr.write(`${summary}\n`);
  process.exit(1);
});
