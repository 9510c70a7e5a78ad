import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { secretStoreFromEnv } from '../activities/secrets';
import { startRollout } from '../client/rollouts';
import { generateEstate } from '../lab/estate/generate';
import type { LabEstate } from '../lab/estate/schema';
import type { RolloutRecord, RolloutReport as WholeReport } from '../model/report-types';
import { SEARCH_ATTRIBUTES } from '../model/search-attributes';
import type { RolloutSpec } from '../model/spec';
import { validateSpec } from '../model/spec-file';
import { loadCodecKeys } from '../worker/codec-key';
import { createCloudtrustWorker } from '../worker/create-worker';
import { createDataConverter } from '../worker/data-converter';
import { startDevServer } from '../worker/dev-server';
import { installTemporalRuntimeLogging } from '../worker/log';
import { createPowerShellPool } from '../worker/powershell-pool';
import { ensureTemporalCli } from '../worker/temporal-cli';
import { rolloutProgressQuery } from '../workflows/messages';

/**
 * Scale benchmark: for each N, a generated lab estate of N domains × 4 DCs (50 ms per simulated Windows command, 2 s replication
 * delay), one GPO-channel ring at concurrency 20, an embedded dev server on free ports and an in-process worker
 * (pool of 8 PowerShell 7 processes running the real scripts against the lab), run to completion. Prints wall time, outcomes, the largest workflow history and peak RSS;
 * asserts nothing. Each N runs in its own Node process so its memory figures are its own.
 * Usage: node dist/bench/scale.js [50,200]
 */

/** What the rollout returns: a batched rollout's record, or (before batches) its whole report; both list each domain's status and times. */
type RolloutReport = WholeReport | RolloutRecord;

const DCS_PER_DOMAIN = 4;
const LATENCY_MS = 50;
const REPLICATION_DELAY_SECONDS = 2;
const RING_CONCURRENCY = 20;
const POOL_SIZE = '8';
const RSS_SAMPLE_MS = 200;
const PROGRESS_EVERY_MS = 15_000;
const TASK_QUEUE = 'cloudtrust';
const NAMESPACE = 'default';
const HISTORY_WARNING_EVENTS = 10_240;
const RSS_TARGET_MB = 500;
const RESULT_PREFIX = 'SCALE-RESULT ';
const CLOCK_TICKS_PER_SECOND = 100;

const CLOUD_ADMIN = { userName: 'hybrid-admin@contoso.com', password: 'lab-Generated-Adm1n' };
const DOMAIN_ADMIN = { userName: 'ad-admin@contoso.com', password: 'lab-Generated-AD-Adm1n' };

interface HistoryFigure {
  workflowId: string;
  events: number;
  bytes?: number;
  activities: number;
  topEventTypes: Array<[string, number]>;
  /** Encoded size per event type, largest first (KiB). */
  topEventTypesByKiB: Array<[string, number]>;
}

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
  executions: number;
  activities: number;
  largest: HistoryFigure;
  rollout: HistoryFigure;
  largestChild?: HistoryFigure;
  overThreshold: number;
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
const note = (line: string) => process.stderr.write(`${line}\n`);
const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

// ---------------------------------------------------------------- the estate and the spec

function benchEstate(domains: number): LabEstate {
  const estate = generateEstate({ domains, dcsPerDomain: DCS_PER_DOMAIN, latencyMs: LATENCY_MS });
  for (const forest of estate.forests) {
    for (const domain of forest.domains) domain.kerberosServer.replicationDelaySeconds = REPLICATION_DELAY_SECONDS;
  }
  return estate;
}

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

// ---------------------------------------------------------------- memory

/** Peak RSS of this process (sampled), and of the PowerShell processes (summed per sample, from /proc). */
class MemorySampler {
  peak = 0;
  phasePeak = 0;
  pwshPeakSum = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pwshPids: () => number[] = () => []) {
    this.timer = setInterval(() => this.sample(), RSS_SAMPLE_MS);
    this.timer.unref();
    this.sample();
  }

  startPhase(): void {
    this.phasePeak = process.memoryUsage().rss;
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }

  private sample(): void {
    const rss = process.memoryUsage().rss;
    this.peak = Math.max(this.peak, rss);
    this.phasePeak = Math.max(this.phasePeak, rss);
    const hosts = this.pwshPids().map((pid) => procStatusKb(pid, 'VmRSS') ?? 0);
    this.pwshPeakSum = Math.max(this.pwshPeakSum, hosts.reduce((a, b) => a + b, 0) * 1024);
  }
}

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM = peak RSS); undefined off Linux or once the process is gone. */
function procStatusKb(pid: number | 'self', field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a process has used so far (from /proc/<pid>/stat); 0 off Linux or once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Direct children of this process (the pool's PowerShell processes are spawned by it). */
function childPids(): number[] {
  if (!existsSync('/proc')) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Counts the dev server's warnings by message and shows the first of each kind (some repeat once per event). */
function serverWarningCounter(domains: number) {
  const counts: Record<string, number> = {};
  const log = (entry: object) => {
    const fields = entry as Record<string, unknown>;
    if (fields.duringShutdown || (fields.level !== 'warn' && fields.level !== 'error')) return;
    const message = String(fields.msg ?? fields.line ?? '');
    counts[message] = (counts[message] ?? 0) + 1;
    if (counts[message] === 1) note(`  [${domains}] dev server ${fields.level}: ${message} ${JSON.stringify({ wf: fields['wf-id'], events: fields['wf-event-count'], size: fields['wf-size'], op: fields['blob-size-violation-operation'] })}`);
  };
  return { counts, log };
}

// ---------------------------------------------------------------- histories

const EventType = temporal.api.enums.v1.EventType;

interface HistoryScan {
  figures: HistoryFigure[];
  activityQueueMs: number[];
  activityRunMs: number[];
  workflowTaskQueueMs: number[];
}

async function scanHistories(client: Client, expected: number): Promise<HistoryScan> {
  const scan: HistoryScan = { figures: [], activityQueueMs: [], activityRunMs: [], workflowTaskQueueMs: [] };
  for (const execution of await listExecutions(client, expected)) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const events = history.events ?? [];
    const byType = new Map<string, number>();
    const bytesByType = new Map<string, number>();
    const timeOf = new Map<number, number>();
    for (const event of events) {
      const type = EventType[event.eventType ?? 0] ?? String(event.eventType);
      byType.set(type, (byType.get(type) ?? 0) + 1);
      bytesByType.set(type, (bytesByType.get(type) ?? 0) + temporal.api.history.v1.HistoryEvent.encode(event).finish().length);
      const id = Number(event.eventId);
      const at = tsToMs(event.eventTime);
      timeOf.set(id, at);
      const started = event.activityTaskStartedEventAttributes;
      if (started) scan.activityQueueMs.push(at - timeOf.get(Number(started.scheduledEventId))!);
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed) scan.activityRunMs.push(at - timeOf.get(Number(completed.startedEventId))!);
      const taskStarted = event.workflowTaskStartedEventAttributes;
      if (taskStarted) scan.workflowTaskQueueMs.push(at - timeOf.get(Number(taskStarted.scheduledEventId))!);
    }
    const top = (by: Map<string, number>) => [...by].sort((a, b) => b[1] - a[1]).slice(0, 6);
    const topEventTypes = top(byType);
    const topEventTypesByKiB = top(bytesByType).map(([type, bytes]): [string, number] => [type, Math.round(bytes / 1024)]);
    const activities = byType.get('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED') ?? 0;
    scan.figures.push({ workflowId: execution.workflowId, events: events.length, bytes: execution.historySize, activities, topEventTypes, topEventTypesByKiB });
  }
  scan.figures.sort((a, b) => b.events - a.events);
  return scan;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { mean: Math.round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)), p50: at(0.5), p95: at(0.95) };
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

/** Visibility is eventually consistent: wait (briefly) until every execution is listed as closed. */
async function listExecutions(client: Client, expected: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const listed = [];
    for await (const execution of client.workflow.list()) listed.push(execution);
    const closed = listed.filter((e) => e.status.name !== 'RUNNING');
    if ((closed.length >= expected && closed.length === listed.length) || Date.now() > deadline) return listed;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// ---------------------------------------------------------------- one run

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function runOnce(domains: number): Promise<ScaleResult> {
  process.env.CLOUDTRUST_LOG_LEVEL ??= 'warn';
  installTemporalRuntimeLogging();
  const setupStarted = Date.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), `cloudtrust-scale-${domains}-`));
  const estate = benchEstate(domains);
  const spec = benchSpec(estate);
  const estateFile = path.join(dir, 'lab', 'estate.json');
  const secretsFile = path.join(dir, 'secrets.json');
  await mkdir(path.dirname(estateFile), { recursive: true });
  await writeFile(estateFile, `${JSON.stringify(estate)}\n`);
  await writeFile(secretsFile, JSON.stringify({ 'kerberos-admin': CLOUD_ADMIN, 'ad-admin': DOMAIN_ADMIN }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLOUDTRUST_POWERSHELL: 'lab',
    CLOUDTRUST_DATA_DIR: dir,
    CLOUDTRUST_LAB_ESTATE: estateFile,
    CLOUDTRUST_SECRETS_FILE: secretsFile,
    CLOUDTRUST_POOL_SIZE: process.env.CLOUDTRUST_POOL_SIZE ?? POOL_SIZE,
  };

  const serverWarnings = serverWarningCounter(domains);
  const server = await startDevServer({
    log: serverWarnings.log,
    cliPath: await ensureTemporalCli(),
    dataDir: path.join(dir, 'temporal'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: NAMESPACE,
    searchAttributes: { ...SEARCH_ATTRIBUTES },
  });
  const pool = createPowerShellPool(env);
  const memory = new MemorySampler(() => childPids().filter((pid) => pid !== server.pid));
  try {
    await pool.warm();
    const dataConverter = createDataConverter(await loadCodecKeys({ env, dataDir: dir, createIfMissing: true }));
    const connection = await NativeConnection.connect({ address: server.address });
    const client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: NAMESPACE, dataConverter });
    try {
      const worker = await createCloudtrustWorker({ connection, namespace: NAMESPACE, taskQueue: TASK_QUEUE, pool, secrets: secretStoreFromEnv(env), dataConverter });
      const setupMs = Date.now() - setupStarted;
      memory.startPhase();
      const cpuBefore = { worker: process.cpuUsage(), pwsh: sum(pool.pids().map(cpuSeconds)), devServer: cpuSeconds(server.pid) };
      const rolloutStarted = Date.now();
      let failure: string | undefined;
      const report = await worker.runUntil(async () => {
        const started = await startRollout(client, spec, 'apply', TASK_QUEUE);
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
      const scan = await scanHistories(client, domains + 1);
      const histories = scan.figures;
      const rolloutFigure = histories.find((h) => h.workflowId === `cloudtrust:${spec.name}`)!;
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
        executions: histories.length,
        activities: histories.reduce((sum, h) => sum + h.activities, 0),
        largest: histories[0],
        rollout: rolloutFigure,
        largestChild: histories.find((h) => h !== rolloutFigure),
        overThreshold: histories.filter((h) => h.events > HISTORY_WARNING_EVENTS).length,
        latencies: latencies(report, scan),
        workerHeapUsedMb,
        workerPeakRssMb: mb(memory.peak),
        workerRolloutPeakRssMb,
        workerKernelPeakRssMb: kernelPeak === undefined ? undefined : Math.round(kernelPeak / 1024),
        pwshPeakSumMb: existsSync('/proc') ? mb(memory.pwshPeakSum) : undefined,
        pwshStarted,
        devServerPeakRssMb: serverPeak === undefined ? undefined : Math.round(serverPeak / 1024),
        cpu,
        serverWarnings: serverWarnings.counts,
      };
    } finally {
      await client.connection.close();
      await connection.close();
    }
  } finally {
    memory.stop();
    await pool.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function count(report: RolloutReport, status: string): number {
  return report.domains.filter((d) => d.status === status).length;
}

// ---------------------------------------------------------------- printing

function printResult(r: ScaleResult): void {
  const events = (f: HistoryFigure) => `${f.events} events${f.bytes ? ` (${Math.round(f.bytes / 1024)} KiB)` : ''} — ${f.workflowId}`;
  say(`N = ${r.domains} domains × ${DCS_PER_DOMAIN} DCs, ${LATENCY_MS} ms per lab call, ring concurrency ${RING_CONCURRENCY}, pool ${process.env.CLOUDTRUST_POOL_SIZE ?? POOL_SIZE}`);
  say(`  wall time (rollout)      ${(r.wallMs / 1000).toFixed(1)} s   (setup: server, pool, bundle ${(r.setupMs / 1000).toFixed(1)} s)`);
  say(`  outcome                  ${r.state}: ${r.succeeded} succeeded, ${r.failed} failed, ${r.notReady} not ready${r.failure ? ` (last known); ${r.failure}` : ''}`);
  say(`  executions               ${r.executions}, ${r.activities} activities scheduled (${(r.activities / (r.wallMs / 1000)).toFixed(1)}/s)`);
  say(`  largest history          ${events(r.largest)}`);
  const short = (t: string) => t.replace('EVENT_TYPE_', '');
  say(`    by event type          ${r.largest.topEventTypes.map(([t, n]) => `${short(t)} ${n}`).join(', ')}`);
  say(`    by size                ${r.largest.topEventTypesByKiB.map(([t, kib]) => `${short(t)} ${kib} KiB`).join(', ')}`);
  say(`  rollout history          ${events(r.rollout)}`);
  if (r.largestChild) say(`  largest child history    ${events(r.largestChild)}`);
  say(`  histories > ${HISTORY_WARNING_EVENTS}        ${r.overThreshold}`);
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

function printComparison(results: ScaleResult[]): void {
  const [first] = results;
  for (const later of results.slice(1)) {
    const domainRatio = later.domains / first.domains;
    const timeRatio = later.wallMs / first.wallMs;
    say(`${first.domains} → ${later.domains} domains (×${domainRatio.toFixed(1)}): wall time ×${timeRatio.toFixed(2)} ` +
      `(${(first.wallMs / first.domains).toFixed(0)} → ${(later.wallMs / later.domains).toFixed(0)} ms per domain); ` +
      `largest history ×${(later.largest.events / first.largest.events).toFixed(2)}; worker peak RSS ${first.workerPeakRssMb} → ${later.workerPeakRssMb} MB`);
  }
  const worst = results.reduce((a, b) => (b.largest.events > a.largest.events ? b : a));
  const completed = results.every((r) => !r.failure && r.state === 'completed' && r.failed === 0);
  const rss = Math.max(...results.map((r) => r.workerPeakRssMb));
  say(`targets: completes ${completed ? 'yes' : 'NO'}; largest history ${worst.largest.events} ≤ ${HISTORY_WARNING_EVENTS} ${worst.largest.events <= HISTORY_WARNING_EVENTS ? 'yes' : 'NO'}; worker RSS ${rss} MB < ${RSS_TARGET_MB} MB ${rss < RSS_TARGET_MB ? 'yes' : 'NO'}`);
}

// ---------------------------------------------------------------- entry

function parseSizes(arg: string | undefined): number[] {
  const sizes = (arg ?? '50,200').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) throw new Error(`sizes must be integers from 1 to 1000, e.g. 50,200; got ${arg}`);
  return sizes;
}

/** Runs one size in a fresh Node process; its human-readable lines pass through, its figures come back as JSON. */
function runInChild(domains: number): Promise<ScaleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, '--one', String(domains)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let result: ScaleResult | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as ScaleResult;
      else say(line);
    });
    child.once('error', reject);
    child.once('close', (code) => (result ? resolve(result) : reject(new Error(`the run for ${domains} domains exited with code ${code} and no result`))));
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--one') {
    const result = await runOnce(parseSizes(process.argv[3])[0]);
    printResult(result);
    say(`${RESULT_PREFIX}${JSON.stringify(result)}`);
    return;
  }
  const results: ScaleResult[] = [];
  for (const domains of parseSizes(process.argv[2])) {
    note(`running N = ${domains}…`);
    results.push(await runInChild(domains));
  }
  printComparison(results);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`scale benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
