import { ensureTemporalCli } from '../worker/temporal-cli';

/** Jest globalSetup: every test file finds the Temporal CLI through TEMPORAL_CLI_PATH. */
export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_CLI_PATH = await ensureTemporalCli();
}
