import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { secretStoreFromEnv } from '../activities/secrets';
import { startRollout } from '../client/rollouts';
import type { LabEstate } from '../lab/estate/schema';
import { MAX_DOMAINS } from '../model/limits';
import type { RolloutRecord, RolloutReport as WholeReport } from '../model/report-types';
import type { RolloutSpec } from '../model/spec';
import { validateSpec } from '../model/spec-file';
import { createCloudtrustWorker } from '../worker/create-worker';
import { rolloutProgressQuery } from '../workflows/messages';
import { benchEstate, DCS_PER_DOMAIN, LATENCY_MS, NAMESPACE, note, POOL_SIZE, withBenchLab } from './bench-lab';
import { childPids, cpuSeconds, mb, MemorySampler, procStatusKb, RSS_SAMPLE_MS } from './process-stats';
import { describeHistory, HISTORY_WARNING_EVENTS, scanHistories, summarizeHistories, type HistoryScan, type HistorySummary } from './scale-histories';
import { measureStepOverhead, OVERHEAD_TARGET, printOverhead, type OverheadResult } from './step-overhead';

/**
 * Scale benchmark: for each N, a generated lab estate of N domains × 4 DCs (50 ms per simulated Windows command, 2 s replication
 * delay), one GPO-channel ring at concurrency 20, an embedded dev server on free ports and an in-process worker
 * (pool of 8 PowerShell 7 processes running the real scripts against the lab), run to completion. Prints wall time, outcomes,
 * the largest workflow histories and peak RSS, once the step overhead against a bare activity, and the targets; asserts nothing.
 * Each N (and the overhead measurement) runs in its own Node process so its memory figures are its own.
 * Usage: node dist/bench/scale.js [50,200]
 */

/** What the rollout returns: a batched rollout's record, or (before batches) its whole report; both list each domain's status and times. */
type RolloutReport = WholeReport | RolloutRecord;

const RING_CONCURRENCY = 20;
const PROGRESS_EVERY_MS = 15_000;
const TASK_QUEUE = 'cloudtrust';
const OVERHEAD_CALLS = 200;
const RSS_TARGET_MB = 500;
const WALL_TARGET_MS = 15 * 60_000;
const TARGET_DOMAINS = 1000;
/** ms per domain at the largest size over that at the smallest: up to this counts as linear growth. */
const LINEAR_RATIO = 1.25;
const RESULT_PREFIX = 'SCALE-RESULT ';

/** Where time goes, from the histories: waiting on a task queue versus running. */
interface Latencies {
  activityQueueMs: Percentiles;
  activityRunMs: Percentiles;
  workflowTaskQueueMs: Percentiles;
  childMs: Percentiles;
  preflightMs: number;
}

interface Percentiles {
  mean: number;
  p50: number;
  p95: number;
}

interface ScaleResult {
  domains: number;
  setupMs: number;
  wallMs: number;
  state: string;
  /** Why the rollout workflow itself failed, when it did. */
  failure?: string;
  succeeded: number;
  failed: number;
  notReady: number;
  histories: HistorySummary;
  latencies: Latencies;
  workerHeapUsedMb: number;
  workerPeakRssMb: number;
  workerRolloutPeakRssMb: number;
  workerKernelPeakRssMb?: number;
  pwshPeakSumMb?: number;
  pwshStarted: number;
  devServerPeakRssMb?: number;
  /** CPU seconds spent during the rollout, per process kind. */
  cpu: { worker: number; pwsh: number; devServer: number };
  /** Warnings and errors the dev server logged, counted by message. */
  serverWarnings: Record<string, number>;
}

const say = (line = '') => process.stdout.write(`${line}\n`);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const msPerDomain = (r: ScaleResult) => r.wallMs / r.domains;

function benchSpec(estate: LabEstate): RolloutSpec {
  const domains = estate.forests.flatMap((forest) => forest.domains);
  return validateSpec(
    {
      name: `scale-${domains.length}`,
      tenant: { id: estate.tenant.id },
      cloudSignIn: { secret: 'kerberos-admin' },
      domains: domains.map((domain) => ({
        name: domain.dnsName,
        channel: 'gpo',
        gpo: { targets: [`OU=Workstations,${domain.distinguishedName}`], computerGroup: 'WHfB-Devices' },
        domainCredential: { secret: 'ad-admin' },
      })),
      rings: [{ name: 'all', domains: domains.map((d) => d.dnsName), concurrency: RING_CONCURRENCY, failureBudget: domains.length }],
      options: { preflightConcurrency: RING_CONCURRENCY, replicationTimeout: '5m', replicationPollInterval: '1s' },
    },
    'bench spec',
  );
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { mean: Math.round(sum(sorted) / Math.max(1, sorted.length)), p50: at(0.5), p95: at(0.95) };
}

/** Preflight ends when the first domain starts; a child's time is its domain's start to finish. */
function latencies(report: RolloutReport, scan: HistoryScan): Latencies {
  const starts = report.domains.filter((d) => d.startedAt).map((d) => Date.parse(d.startedAt!));
  const children = report.domains.filter((d) => d.startedAt && d.finishedAt).map((d) => Date.parse(d.finishedAt!) - Date.parse(d.startedAt!));
  return {
    activityQueueMs: percentiles(scan.activityQueueMs),
    activityRunMs: percentiles(scan.activityRunMs),
    workflowTaskQueueMs: percentiles(scan.workflowTaskQueueMs),
    childMs: percentiles(children),
    preflightMs: starts.length > 0 ? Math.min(...starts) - Date.parse(report.startedAt) : 0,
  };
}

function count(report: RolloutReport, status: string): number {
  return report.domains.filter((d) => d.status === status).length;
}

// ---------------------------------------------------------------- one run

async function runOnce(domains: number): Promise<ScaleResult> {
  const setupStarted = Date.now();
  const estate = benchEstate(domains);
  const spec = benchSpec(estate);
  return withBenchLab(String(domains), estate, async (lab) => {
    const { client, pool, server } = lab;
    const memory = new MemorySampler(() => childPids().filter((pid) => pid !== server.pid));
    try {
      const secrets = secretStoreFromEnv(lab.env);
      const worker = await createCloudtrustWorker({ connection: lab.connection, namespace: NAMESPACE, taskQueue: TASK_QUEUE, pool, secrets, dataConverter: lab.dataConverter });
      const setupMs = Date.now() - setupStarted;
      memory.startPhase();
      const cpuBefore = { worker: process.cpuUsage(), pwsh: sum(pool.pids().map(cpuSeconds)), devServer: cpuSeconds(server.pid) };
      const rolloutStarted = Date.now();
      let failure: string | undefined;
      let rolloutWorkflowId = '';
      const report = await worker.runUntil(async () => {
        const started = await startRollout(client, spec, 'apply', TASK_QUEUE);
        rolloutWorkflowId = started.workflowId;
        let snapshot: RolloutReport | undefined;
        const progress = setInterval(() => {
          started.handle.query(rolloutProgressQuery).then(
            (r) => {
              snapshot = r;
              note(`  [${domains}] ${Math.round((Date.now() - rolloutStarted) / 1000)}s ${r.state}: ${count(r, 'succeeded')} succeeded, ${count(r, 'failed')} failed, ${count(r, 'running')} running; rss ${mb(process.memoryUsage().rss)} MB`);
            },
            () => undefined,
          );
        }, PROGRESS_EVERY_MS);
        try {
          return await started.handle.result();
        } catch (error) {
          // A benchmark reports a failed rollout too: how far it got, and its histories.
          failure = `${(error as Error).message}${(error as Error).cause ? ` (${((error as Error).cause as Error).message})` : ''}`;
          note(`  [${domains}] the rollout workflow failed: ${failure}`);
          return started.handle.query(rolloutProgressQuery).catch(() => snapshot ?? ({ state: 'unknown', domains: [] } as unknown as RolloutReport));
        } finally {
          clearInterval(progress);
        }
      });
      const wallMs = Date.now() - rolloutStarted;
      const workerCpu = process.cpuUsage(cpuBefore.worker);
      const cpu = {
        worker: (workerCpu.user + workerCpu.system) / 1e6,
        pwsh: sum(pool.pids().map(cpuSeconds)) - cpuBefore.pwsh,
        devServer: cpuSeconds(server.pid) - cpuBefore.devServer,
      };
      const workerRolloutPeakRssMb = mb(memory.phasePeak);
      const pwshStarted = pool.stats().started;
      memory.stop();
      const workerHeapUsedMb = mb(process.memoryUsage().heapUsed);
      const scan = await scanHistories(client, (line) => note(`  [${domains}] ${line}`));
      const kernelPeak = procStatusKb('self', 'VmHWM');
      const serverPeak = procStatusKb(server.pid, 'VmHWM');
      return {
        domains,
        setupMs,
        wallMs,
        state: failure ? 'workflow failed' : report.state,
        failure,
        succeeded: count(report, 'succeeded'),
        failed: count(report, 'failed'),
        notReady: count(report, 'not-ready'),
        histories: summarizeHistories(scan.figures, rolloutWorkflowId, scan.stillRunning),
        latencies: latencies(report, scan),
        workerHeapUsedMb,
        workerPeakRssMb: mb(memory.peak),
        workerRolloutPeakRssMb,
        workerKernelPeakRssMb: kernelPeak === undefined ? undefined : Math.round(kernelPeak / 1024),
        pwshPeakSumMb: existsSync('/proc') ? mb(memory.pwshPeakSum) : undefined,
        pwshStarted,
        devServerPeakRssMb: serverPeak === undefined ? undefined : Math.round(serverPeak / 1024),
        cpu,
        serverWarnings: lab.serverWarnings,
      };
    } finally {
      memory.stop();
    }
  });
}

// ---------------------------------------------------------------- printing

function printResult(r: ScaleResult): void {
  const h = r.histories;
  say(`N = ${r.domains} domains × ${DCS_PER_DOMAIN} DCs, ${LATENCY_MS} ms per lab call, ring concurrency ${RING_CONCURRENCY}, pool ${process.env.CLOUDTRUST_POOL_SIZE ?? POOL_SIZE}`);
  say(`  wall time (rollout)      ${(r.wallMs / 1000).toFixed(1)} s = ${msPerDomain(r).toFixed(0)} ms per domain   (setup: server, pool, bundle ${(r.setupMs / 1000).toFixed(1)} s)`);
  say(`  outcome                  ${r.state}: ${r.succeeded} succeeded, ${r.failed} failed, ${r.notReady} not ready${r.failure ? ` (last known); ${r.failure}` : ''}`);
  say(`  executions               ${h.executions}${h.stillRunning > 0 ? ` (${h.stillRunning} still listed as running)` : ''}, ${h.activities} activities scheduled (${(h.activities / (r.wallMs / 1000)).toFixed(1)}/s)`);
  say(`  largest history          ${describeHistory(h.largest)}`);
  if (h.largest) {
    const short = (t: string) => t.replace('EVENT_TYPE_', '');
    say(`    by event type          ${h.largest.topEventTypes.map(([t, n]) => `${short(t)} ${n}`).join(', ')}`);
    say(`    by size                ${h.largest.topEventTypesByKiB.map(([t, kib]) => `${short(t)} ${kib} KiB`).join(', ')}`);
  }
  say(`  rollout history          ${describeHistory(h.rollout)}`);
  say(`  largest batch history    ${describeHistory(h.largestBatch)}`);
  say(`  largest domain history   ${describeHistory(h.largestDomain)}`);
  say(`  histories > ${HISTORY_WARNING_EVENTS}        ${h.overThreshold}`);
  const l = r.latencies;
  const ms = (p: Percentiles) => `mean ${p.mean} / p50 ${p.p50} / p95 ${p.p95} ms`;
  say(`  preflight phase          ${(l.preflightMs / 1000).toFixed(1)} s; domain child ${ms(l.childMs)}`);
  say(`  activity                 waits for a worker slot ${ms(l.activityQueueMs)}; runs ${ms(l.activityRunMs)}`);
  say(`  workflow task            waits ${ms(l.workflowTaskQueueMs)}`);
  say(`  worker peak RSS          ${r.workerPeakRssMb} MB sampled every ${RSS_SAMPLE_MS} ms (during the rollout: ${r.workerRolloutPeakRssMb} MB${r.workerKernelPeakRssMb ? `; kernel VmHWM ${r.workerKernelPeakRssMb} MB` : ''}; V8 heap used at the end ${r.workerHeapUsedMb} MB)`);
  const cores = os.availableParallelism();
  say(`  CPU during the rollout   worker ${r.cpu.worker.toFixed(0)} s, PowerShell ${r.cpu.pwsh.toFixed(0)} s, dev server ${r.cpu.devServer.toFixed(0)} s = ${((sum(Object.values(r.cpu)) / (r.wallMs / 1000)) * 100 / cores).toFixed(0)}% of ${cores} cores`);
  const warnings = Object.entries(r.serverWarnings);
  if (warnings.length > 0) say(`  dev server warnings      ${warnings.map(([message, n]) => `"${message}" ×${n}`).join('; ')}`);
  say(`  separate processes       PowerShell: ${r.pwshStarted} started, peak sum of RSS ${r.pwshPeakSumMb ?? '?'} MB; dev server peak RSS ${r.devServerPeakRssMb ?? '?'} MB (not in the worker's figure)`);
  say();
}

function printComparison(results: ScaleResult[], overhead: OverheadResult): void {
  const bySize = [...results].sort((a, b) => a.domains - b.domains);
  const smallest = bySize[0];
  const largest = bySize[bySize.length - 1];
  const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
  const target = (label: string, figure: string) => say(`  ${label.padEnd(36)} ${figure}`);
  say(`ms per domain  ${bySize.map((r) => `${r.domains}: ${msPerDomain(r).toFixed(0)}`).join(', ')}`);
  say('targets');
  const timed = bySize.find((r) => r.domains === TARGET_DOMAINS) ?? largest;
  const completed = !timed.failure && timed.state === 'completed' && timed.failed === 0;
  target(`${timed.domains}-domain run completes in ≤ ${WALL_TARGET_MS / 60_000} min`, `${timed.state}, ${timed.failed} failed, ${(timed.wallMs / 60_000).toFixed(1)} min: ${yes(completed && timed.wallMs <= WALL_TARGET_MS)}`);
  const worst = results.reduce((a, b) => ((b.histories.largest?.events ?? 0) > (a.histories.largest?.events ?? 0) ? b : a));
  const over = sum(results.map((r) => r.histories.overThreshold));
  target(`no history > ${HISTORY_WARNING_EVENTS} events`, `largest ${describeHistory(worst.histories.largest)} (N = ${worst.domains}); ${over} above: ${yes(over === 0)}`);
  const rss = Math.max(...results.map((r) => r.workerPeakRssMb));
  target(`worker peak RSS ≤ ${RSS_TARGET_MB} MB`, `${rss} MB: ${yes(rss <= RSS_TARGET_MB)}`);
  if (bySize.length > 1 && largest.domains > smallest.domains) {
    const ratio = msPerDomain(largest) / msPerDomain(smallest);
    target(`linear time growth (ratio ≤ ${LINEAR_RATIO})`, `ms per domain at ${largest.domains} / at ${smallest.domains} = ${ratio.toFixed(2)}: ${yes(ratio <= LINEAR_RATIO)}`);
  } else {
    target(`linear time growth (ratio ≤ ${LINEAR_RATIO})`, 'needs two sizes, e.g. 200,1000');
  }
  target(`step overhead ≤ ${OVERHEAD_TARGET}×`, `(step − PowerShell call) / no-op ${overhead.ratio.toFixed(2)}×: ${yes(overhead.ratio <= OVERHEAD_TARGET)}`);
}

// ---------------------------------------------------------------- entry

function parseSizes(arg: string | undefined): number[] {
  const sizes = (arg ?? '50,200').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_DOMAINS)) throw new Error(`sizes must be integers from 1 to ${MAX_DOMAINS}, e.g. 50,200; got ${arg}`);
  return sizes;
}

/** Runs one job in a fresh Node process; its human-readable lines pass through, its figures come back as JSON. */
function runInChild<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let result: T | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
      else say(line);
    });
    child.once('error', reject);
    child.once('close', (code) => (result ? resolve(result) : reject(new Error(`${args.join(' ')} exited with code ${code} and no result`))));
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--one') {
    const result = await runOnce(parseSizes(process.argv[3])[0]);
    printResult(result);
    say(`${RESULT_PREFIX}${JSON.stringify(result)}`);
    return;
  }
  if (process.argv[2] === '--overhead') {
    const result = await withBenchLab('overhead', benchEstate(1), (lab) => measureStepOverhead(lab, OVERHEAD_CALLS));
    printOverhead(result, say);
    say(`${RESULT_PREFIX}${JSON.stringify(result)}`);
    return;
  }
  const sizes = parseSizes(process.argv[2]);
  note('measuring the step overhead…');
  const overhead = await runInChild<OverheadResult>(['--overhead']);
  const results: ScaleResult[] = [];
  for (const domains of sizes) {
    note(`running N = ${domains}…`);
    results.push(await runInChild<ScaleResult>(['--one', String(domains)]));
  }
  printComparison(results, overhead);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`scale benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
