import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePowerShell } from '../worker/powershell-install';
import { ensureTemporalCli } from '../worker/temporal-cli';

/** Jest globalSetup: every test file finds the Temporal CLI through TEMPORAL_CLI_PATH, and PowerShell 7 is provisioned once. */
export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_CLI_PATH = await ensureTemporalCli();
  process.env.CLOUDTRUST_TEST_PWSH = await ensurePowerShell();
  process.env.CLOUDTRUST_SCRIPT_LOG ??= path.join(mkdtempSync(path.join(tmpdir(), 'cloudtrust-scripts-')), 'runs.log');
}
