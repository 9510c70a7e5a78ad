import { performance } from 'node:perf_hooks';
import type { PowerShell } from 'node-powershell';
import { resolveExecutable } from '../activities/bridge/executable';
import { PowerShellPool } from '../activities/bridge/pool';
import { PowerShellSession } from '../activities/bridge/session';
import { allSteps } from '../activities/steps';
import { hostScripts } from '../activities/steps/contract';
import { echoStep } from '../activities/steps/echo';
import { fixtures } from '../test/transport/fixture-steps';

/**
 * Per-call cost of the bridge against real PowerShell 7: a warm pool versus a fresh process per call (spawn,
 * dispatcher bootstrap, one call, dispose), and, in one warm process, an empty step through the dispatcher versus
 * a bare [Console]::Out.WriteLine round trip through node-powershell. Prints figures; asserts nothing.
 * Usage: npm run bench:bridge [-- <warm calls> [<process-per-call calls>]]   (default 200 and 20)
 */
const warmCalls = Number(process.argv[2] ?? 200);
const coldCalls = Number(process.argv[3] ?? 20);
const echoArgs = { Text: 'benchmark', Items: ['a', 'b'] };
const callOptions = { timeoutMs: 60_000 };

interface Summary {
  median: number;
  p95: number;
  min: number;
  max: number;
}

function summary(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`.padStart(11);
const line = (label: string, s: Summary) => `  ${label.padEnd(44)} median ${fmt(s.median)}  p95 ${fmt(s.p95)}  min ${fmt(s.min)}  max ${fmt(s.max)}\n`;

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

async function expectOk(outcome: Promise<{ envelope: { ok: boolean; errors: { message: string }[] } }>): Promise<void> {
  const { envelope } = await outcome;
  if (!envelope.ok) throw new Error(`the call failed: ${envelope.errors.map((e) => e.message).join('; ')}`);
}

async function main(): Promise<void> {
  const choice = process.env.CLOUDTRUST_POWERSHELL?.trim();
  const executable = resolveExecutable({ ...process.env, CLOUDTRUST_POWERSHELL: choice && choice !== 'lab' ? choice : 'pwsh' });
  const prepared = await executable.prepare();
  const scripts = hostScripts([...allSteps, fixtures.empty]);

  const pool = new PowerShellPool({ executable, scripts, size: 1, startTimeoutMs: 60_000 });
  await pool.warm();
  for (let i = 0; i < 10; i += 1) await expectOk(pool.run(echoStep.id, echoArgs, callOptions));
  const warm: number[] = [];
  for (let i = 0; i < warmCalls; i += 1) warm.push(await timed(() => expectOk(pool.run(echoStep.id, echoArgs, callOptions))));
  await pool.close();

  const cold: number[] = [];
  for (let i = 0; i < coldCalls; i += 1) {
    cold.push(
      await timed(async () => {
        const session = await PowerShellSession.start(executable, scripts, callOptions);
        try {
          await expectOk(session.call(echoStep.id, echoArgs, callOptions));
        } finally {
          await session.dispose();
        }
      }),
    );
  }

  const session = await PowerShellSession.start(executable, scripts, callOptions);
  const shell = (session as unknown as { shell: PowerShell }).shell;
  const bareRoundTrip = async () => {
    await shell.invoke("[Console]::Out.WriteLine('ping')");
    shell.history.length = 0;
  };
  for (let i = 0; i < 10; i += 1) {
    await expectOk(session.call(fixtures.empty.id, {}, callOptions));
    await bareRoundTrip();
  }
  const empty: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < warmCalls; i += 1) {
    empty.push(await timed(() => expectOk(session.call(fixtures.empty.id, {}, callOptions))));
    bare.push(await timed(bareRoundTrip));
  }
  const host = session.hostInfo;
  await session.dispose();

  const w = summary(warm);
  const c = summary(cold);
  const e = summary(empty);
  const b = summary(bare);
  process.stdout.write(`bridge overhead against ${executable.kind} (${prepared.executable}, PowerShell ${String(host.psVersion)} ${String(host.edition)})\n\n`);
  process.stdout.write(`diagnostics.check-echo, warm pool (${warmCalls} calls) against a process per call (${coldCalls} calls: spawn, bootstrap, call, dispose)\n`);
  process.stdout.write(line('warm pool', w));
  process.stdout.write(line('process per call', c));
  process.stdout.write(`  process per call / warm pool: median ${(c.median / w.median).toFixed(1)}x, p95 ${(c.p95 / w.p95).toFixed(1)}x (target: at least 20x)\n\n`);
  process.stdout.write(`one warm process, ${warmCalls} calls each, interleaved\n`);
  process.stdout.write(line('empty step through the dispatcher', e));
  process.stdout.write(line("bare [Console]::Out.WriteLine('ping')", b));
  process.stdout.write(`  dispatcher overhead per call: median ${(e.median - b.median).toFixed(2)} ms, p95 ${(e.p95 - b.p95).toFixed(2)} ms\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
