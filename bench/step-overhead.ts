import { performance } from 'node:perf_hooks';
import type { WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { Worker } from '@temporalio/worker';
import type { google } from '@temporalio/proto';
import { toPowerShellArguments } from '../activities/steps/contract';
import { echoStep as echoContract } from '../activities/steps/echo';
import { secretStoreFromEnv } from '../activities/secrets';
import { createCloudtrustWorker } from '../worker/create-worker';
import { NAMESPACE, type BenchLab } from './bench-lab';
import { overheadActivities, type EchoInput } from './overhead-activities';
import type { echoStepCalls, noopCalls } from './overhead-workflows';

/**
 * What one cloudtrust step costs on top of its PowerShell call, against a bare Temporal activity: K sequential calls each of
 * (a) a no-op activity, (b) the diagnostics.check-echo step through runStepActivity, both scheduled from a workflow and timed
 * scheduled → completed from the history, and (c) the same step's pool call without Temporal. A second worker on its own
 * task queue runs the bench-only workflows, beside the cloudtrust worker and on the same PowerShell pool.
 */

export const OVERHEAD_TARGET = 1.5;
const ROUNDS = 4;
const WARM_UP_CALLS = 10;
const TASK_QUEUE = 'cloudtrust';
const BENCH_TASK_QUEUE = 'cloudtrust-bench-overhead';
const ECHO_INPUT: EchoInput = { text: 'benchmark', items: ['a', 'b'] };

export interface Summary {
  median: number;
  p95: number;
}

export interface OverheadResult {
  calls: number;
  noop: Summary;
  step: Summary;
  pwsh: Summary;
  /** (step − PowerShell call) / no-op, from the medians. */
  ratio: number;
}

export async function measureStepOverhead(lab: BenchLab, calls: number): Promise<OverheadResult> {
  const secrets = secretStoreFromEnv(lab.env);
  const cloudtrust = await createCloudtrustWorker({ connection: lab.connection, namespace: NAMESPACE, taskQueue: TASK_QUEUE, pool: lab.pool, secrets, dataConverter: lab.dataConverter });
  const bench = await Worker.create({
    connection: lab.connection,
    namespace: NAMESPACE,
    taskQueue: BENCH_TASK_QUEUE,
    workflowsPath: require.resolve('./overhead-workflows'),
    activities: overheadActivities(lab.pool),
    dataConverter: lab.dataConverter,
    maxConcurrentActivityTaskExecutions: lab.pool.stats().size,
  });
  const samples = { noop: [] as number[], step: [] as number[], pwsh: [] as number[] };
  await cloudtrust.runUntil(() =>
    bench.runUntil(async () => {
      await oneRound(lab, 'warm-up', WARM_UP_CALLS);
      const perRound = Math.ceil(calls / ROUNDS);
      for (let round = 0; round < ROUNDS; round += 1) {
        const figures = await oneRound(lab, String(round), perRound);
        samples.noop.push(...figures.noop);
        samples.step.push(...figures.step);
        samples.pwsh.push(...figures.pwsh);
      }
    }),
  );
  const [noop, step, pwsh] = [summary(samples.noop), summary(samples.step), summary(samples.pwsh)];
  return { calls: samples.noop.length, noop, step, pwsh, ratio: (step.median - pwsh.median) / noop.median };
}

/** One batch of each kind in turn, so drift on a shared machine spreads over all three. */
async function oneRound(lab: BenchLab, round: string, calls: number) {
  const noop = await activityTimes(await lab.client.workflow.start<typeof noopCalls>('noopCalls', { taskQueue: BENCH_TASK_QUEUE, workflowId: `overhead/noop/${round}`, args: [calls] }));
  const step = await activityTimes(await lab.client.workflow.start<typeof echoStepCalls>('echoStepCalls', { taskQueue: BENCH_TASK_QUEUE, workflowId: `overhead/step/${round}`, args: [calls, ECHO_INPUT] }));
  const args = toPowerShellArguments(echoContract, echoContract.input.parse(ECHO_INPUT));
  const pwsh: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const started = performance.now();
    const { envelope } = await lab.pool.run(echoContract.id, args, { timeoutMs: echoContract.timeoutMs, edition: echoContract.edition ?? 'any' });
    pwsh.push(performance.now() - started);
    if (!envelope.ok) throw new Error(`${echoContract.id} failed: ${envelope.errors.map((e) => e.message).join('; ')}`);
  }
  return { noop, step, pwsh };
}

/** Each activity's scheduled → completed time, from the finished workflow's history. */
async function activityTimes(handle: WorkflowHandle): Promise<number[]> {
  await handle.result();
  const scheduledAt = new Map<number, number>();
  const times: number[] = [];
  for (const event of (await handle.fetchHistory()).events ?? []) {
    const at = preciseMs(event.eventTime!);
    if (event.activityTaskScheduledEventAttributes) scheduledAt.set(Number(event.eventId), at);
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) times.push(at - scheduledAt.get(Number(completed.scheduledEventId))!);
  }
  return times;
}

const preciseMs = (ts: google.protobuf.ITimestamp) => tsToMs(ts) + ((ts.nanos ?? 0) % 1e6) / 1e6;

function summary(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95) };
}

export function printOverhead(r: OverheadResult, say: (line?: string) => void): void {
  const line = (label: string, s: Summary) => say(`  ${label.padEnd(52)} median ${s.median.toFixed(2).padStart(7)} ms   p95 ${s.p95.toFixed(2).padStart(7)} ms`);
  say(`step overhead: ${r.calls} sequential calls of each, from one workflow per kind and round (${ROUNDS} rounds, interleaved); activities timed scheduled → completed`);
  line('(a) no-op Temporal activity', r.noop);
  line(`(b) ${echoContract.id} step activity (runStepActivity)`, r.step);
  line('(c) the same step as a pool call, no Temporal', r.pwsh);
  const verdict = r.ratio <= OVERHEAD_TARGET ? 'yes' : 'NO';
  say(`  (step − PowerShell call) / no-op = (${r.step.median.toFixed(2)} − ${r.pwsh.median.toFixed(2)}) / ${r.noop.median.toFixed(2)} = ${r.ratio.toFixed(2)}× (target ≤ ${OVERHEAD_TARGET}×): ${verdict}`);
  say();
}
