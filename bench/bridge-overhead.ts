import { performance } from 'node:perf_hooks';
import { resolveExecutable } from '../activities/bridge/executable';
import { PowerShellPool } from '../activities/bridge/pool';
import { PowerShellSession } from '../activities/bridge/session';
import { allSteps } from '../activities/steps';
import { hostScripts } from '../activities/steps/contract';

/**
 * Per-call overhead of the bridge against the lab host: a warm pool versus a fresh process per call
 * (spawn, bootstrap the dispatcher, one call, dispose). Prints figures; asserts nothing.
 * Usage: npm run bench:bridge [-- <calls>]   (default 200 each)
 */
const calls = Number(process.argv[2] ?? 200);
const args = { Text: 'benchmark', Items: ['a', 'b'] };

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function main(): Promise<void> {
  const executable = resolveExecutable({ ...process.env, CLOUDTRUST_POWERSHELL: process.env.CLOUDTRUST_POWERSHELL ?? 'lab' });
  const scripts = hostScripts(allSteps);

  const pool = new PowerShellPool({ executable, scripts, size: 1 });
  await pool.warm();
  for (let i = 0; i < 10; i += 1) await pool.run('diagnostics.echo', args, { timeoutMs: 30_000 });
  const warm: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const started = performance.now();
    const outcome = await pool.run('diagnostics.echo', args, { timeoutMs: 30_000 });
    if (!outcome.envelope.ok) throw new Error('echo failed');
    warm.push(performance.now() - started);
  }
  await pool.close();

  const cold: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const started = performance.now();
    const session = await PowerShellSession.start(executable, scripts, { timeoutMs: 30_000 });
    const outcome = await session.call('diagnostics.echo', args, { timeoutMs: 30_000 });
    await session.dispose();
    if (!outcome.envelope.ok) throw new Error('echo failed');
    cold.push(performance.now() - started);
  }

  const w = summary(warm);
  const c = summary(cold);
  process.stdout.write(`bridge overhead against ${executable.kind} (${executable.executable}), ${calls} calls each\n`);
  process.stdout.write(`  warm pool          median ${fmt(w.median)}  p95 ${fmt(w.p95)}  min ${fmt(w.min)}  max ${fmt(w.max)}\n`);
  process.stdout.write(`  process per call   median ${fmt(c.median)}  p95 ${fmt(c.p95)}  min ${fmt(c.min)}  max ${fmt(c.max)}\n`);
  process.stdout.write(`  ratio (median, per call / warm): ${(c.median / w.median).toFixed(1)}x\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
