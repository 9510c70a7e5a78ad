import { existsSync, readFileSync } from 'node:fs';
import { allSteps } from '../activities/steps';

/**
 * Jest globalTeardown: lists the step scripts that ran in PowerShell during the run (from CLOUDTRUST_SCRIPT_LOG,
 * appended by every process of the run) and fails the run if one never ran.
 */
export default async function globalTeardown(globalConfig: { testPathPatterns?: { patterns?: string[] }; testNamePattern?: string }): Promise<void> {
  const file = process.env.CLOUDTRUST_SCRIPT_LOG;
  if (!file) return;
  const runs = new Map<string, { count: number; hosts: Set<string> }>();
  for (const line of existsSync(file) ? readFileSync(file, 'utf8').split('\n') : []) {
    const [id, edition, version] = line.split(' ');
    if (!id) continue;
    const entry = runs.get(id) ?? { count: 0, hosts: new Set<string>() };
    entry.count += 1;
    entry.hosts.add(`${edition} ${version}`);
    runs.set(id, entry);
  }
  const lines = allSteps.map((step) => {
    const run = runs.get(step.id);
    return `  ${step.id.padEnd(28)} ${run ? `${String(run.count).padStart(5)} runs  (${[...run.hosts].join(', ')})  ${step.script}` : '    never ran'}`;
  });
  process.stdout.write(`\nStep scripts executed by PowerShell during this run:\n${lines.join('\n')}\n`);
  const missing = allSteps.filter((step) => !runs.has(step.id)).map((step) => step.id);
  const partial = (globalConfig.testPathPatterns?.patterns?.length ?? 0) > 0 || Boolean(globalConfig.testNamePattern);
  if (missing.length > 0 && !partial) {
    throw new Error(`these step scripts never ran in PowerShell during the test run: ${missing.join(', ')}`);
  }
}
