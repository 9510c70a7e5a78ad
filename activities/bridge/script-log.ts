import { appendFileSync } from 'node:fs';

/**
 * CLOUDTRUST_SCRIPT_LOG: a file to which every process appends "<script id> <edition> <version>" for each
 * script a PowerShell process ran to a result envelope (the test run uses it to prove every step script ran).
 */
export function logScriptRun(scriptId: string, hostInfo: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.CLOUDTRUST_SCRIPT_LOG;
  if (!file) return;
  appendFileSync(file, `${scriptId} ${String(hostInfo.edition ?? '?')} ${String(hostInfo.psVersion ?? '?')}\n`);
}
