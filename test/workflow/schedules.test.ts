import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { TriggerError } from '../../client/errors';
import { listRuns, runReport, type RunSummary } from '../../client/runs';
import { startDriftCheck } from '../../client/runbooks';
import { createSchedule, deleteSchedule, describeSchedule, listSchedules, triggerSchedule } from '../../client/schedules';
import type { DriftReport, RunbookReport } from '../../model/report-types';
import { scheduleRequestSchema } from '../../model/schedule-request';
import type { RolloutSpec } from '../../model/spec';
import { rollout } from '../../workflows';
import { runbookLock, runbookLockId } from '../../workflows/runbook-lock';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';
import { waitForValue } from '../support/wait';

const CORP = 'corp.contoso.com';

/** The lab-default spec reduced to corp (emea's preflight blockers would make every check "incomplete"). */
const corpSpec: RolloutSpec = (() => {
  const spec = readLabDefaultSpec();
  return { ...spec, name: 'lab-corp', domains: spec.domains.filter((d) => d.name === CORP), rings: [{ name: 'pilot', domains: [CORP], concurrency: 1, failureBudget: 0 }] };
})();

/* One estate for the file: drift before the rollout, none after it, drift again after a hand edit; then key rotation on a schedule. */
describe('schedules and drift checks: real Temporal server, real worker, the real scripts in the lab', () => {
  let lab: LabWorker;
  const client = (): Client => lab.context.env.client;

  beforeAll(async () => {
    lab = await startLabWorker({ taskQueuePrefix: 'schedules' });
  }, 120_000);

  afterAll(() => lab?.stop());

  const corpDomain = async () => (await lab.store.read()).forests.flatMap((f) => f.domains).find((d) => d.dnsName === CORP)!;

  /** A completed run a schedule started (its workflow id is the action's id plus the action time) not in `after` (run ids). */
  async function scheduledRun(kind: RunSummary['kind'], prefix: string, after: Set<string>, status = 'COMPLETED'): Promise<RunSummary> {
    return waitForValue(async () => (await listRuns(client(), { kinds: [kind] })).find((r) => r.id.startsWith(prefix) && !after.has(r.runId) && r.status === status), { what: `a ${status.toLowerCase()} ${kind} run`, timeoutMs: 60_000 });
  }

  test('before any rollout, a drift check finds everything missing and changes nothing', async () => {
    const before = (await lab.store.read()).mutations;
    const report: DriftReport = await (await startDriftCheck(client(), corpSpec, lab.taskQueue)).result();
    expect(report.verdict).toBe('drift');
    const corp = report.domains.find((d) => d.domain === CORP)!;
    expect(corp.changes.some((c) => c.startsWith('kerberos'))).toBe(true);
    expect(corp.changes.some((c) => c.startsWith('gpo'))).toBe(true);
    expect((await lab.store.read()).mutations).toEqual(before);
  }, 90_000);

  test('after the rollout the estate is in sync; a hand edit of the policy value is drift again', async () => {
    const applied = await client().workflow.execute(rollout, { taskQueue: lab.taskQueue, workflowId: `rollout/${randomUUID()}`, args: [{ spec: corpSpec, mode: 'apply', specDigest: 'test' }] });
    expect(applied.domains[0].status).toBe('succeeded');

    const inSync = await (await startDriftCheck(client(), corpSpec, lab.taskQueue)).result();
    expect(inSync).toMatchObject({ verdict: 'in-sync', hostChanges: [] });
    expect(inSync.domains[0].changes).toEqual([]);
    const listed = await waitForValue(async () => (await listRuns(client(), { kinds: ['drift-check'] })).find((r) => r.state === 'in-sync'), { what: 'the in-sync state in the list', timeoutMs: 60_000 });
    expect(listed.spec).toBe('lab-corp');

    await lab.store.update((estate) => {
      const corp = estate.forests.flatMap((f) => f.domains).find((d) => d.dnsName === CORP)!;
      const gpo = corp.gpos.find((g) => g.displayName === corpSpec.domains[0].gpo!.name)!;
      gpo.links = [];
    });
    const drifted = await (await startDriftCheck(client(), corpSpec, lab.taskQueue)).result();
    expect(drifted.verdict).toBe('drift');
    expect(drifted.domains[0].changes.join('\n')).toMatch(/OU=Workstations,DC=corp,DC=contoso,DC=com/);
  }, 120_000);

  test('a drift-check schedule: overlap skip, listed, triggered, its run reports the drift, then deleted', async () => {
    const request = scheduleRequestSchema.parse({ name: 'corp-drift', kind: 'drift-check', spec: corpSpec, every: '1d' });
    const created = await createSchedule(client(), request, lab.taskQueue);
    expect(created).toMatchObject({ name: 'corp-drift', kind: 'drift-check', spec: 'lab-corp', every: '1d', paused: false, overlap: 'skip' });
    // Temporal counts intervals from the Unix epoch: a daily schedule's next run is the coming midnight UTC.
    const untilNext = Date.parse(created.nextRunAt!) - Date.now();
    expect(untilNext).toBeGreaterThan(0);
    expect(untilNext).toBeLessThanOrEqual(86_400_000);
    await expect(createSchedule(client(), request, lab.taskQueue)).rejects.toMatchObject({ kind: 'conflict' });
    const badCron = scheduleRequestSchema.parse({ name: 'corp-bad-cron', kind: 'drift-check', spec: corpSpec, cron: '0 25 * * *' });
    await expect(createSchedule(client(), badCron, lab.taskQueue)).rejects.toMatchObject({ kind: 'invalid-input', problems: [expect.stringMatching(/^cron: .*[Hh]our/)] });
    expect((await listSchedules(client())).map((s) => s.name)).toContain('corp-drift');

    const earlier = new Set((await listRuns(client(), { kinds: ['drift-check'] })).map((r) => r.runId));
    await triggerSchedule(client(), 'corp-drift');
    const run = await scheduledRun('drift-check', 'cloudtrust-drift:lab-corp-', earlier);
    const report = await runReport(client(), run.id);
    expect(report.kind).toBe('drift-check');
    expect((report.report as DriftReport).verdict).toBe('drift');
    expect(run.state).toBe('drift');
    expect((await describeSchedule(client(), 'corp-drift')).recentRuns.map((r) => r.workflowId)).toContain(run.id);

    await deleteSchedule(client(), 'corp-drift');
    await expect(describeSchedule(client(), 'corp-drift')).rejects.toBeInstanceOf(TriggerError);
    await expect(deleteSchedule(client(), 'corp-drift')).rejects.toMatchObject({ kind: 'not-found' });
  }, 120_000);

  test('key-rotation schedules every 90 days: the 24-hour rule holds back a fresh key; a forced one rotates on its action time', async () => {
    const keyBefore = (await corpDomain()).kerberosServer.ad!.keyVersion;
    const polite = await createSchedule(client(), scheduleRequestSchema.parse({ name: 'corp-rotation', kind: 'rotate-keys', spec: corpSpec, every: '90d' }), lab.taskQueue);
    expect(Date.parse(polite.nextRunAt!) - Date.now()).toBeLessThanOrEqual(90 * 86_400_000);

    const seen = new Set<string>();
    await triggerSchedule(client(), 'corp-rotation');
    const first = await scheduledRun('rotate-keys', 'cloudtrust-rotate:lab-corp-', seen);
    const heldBack = (await runReport(client(), first.id)).report as RunbookReport;
    expect(heldBack.request).toMatch(/requested at \d{4}-\d{2}-\d{2}T/);
    expect(heldBack.domains[0]).toMatchObject({ domain: CORP, status: 'skipped' });
    expect((await corpDomain()).kerberosServer.ad!.keyVersion).toBe(keyBefore);
    await deleteSchedule(client(), 'corp-rotation');

    seen.add(first.runId);
    await createSchedule(client(), scheduleRequestSchema.parse({ name: 'corp-rotation', kind: 'rotate-keys', spec: corpSpec, every: '90d', force: true }), lab.taskQueue);
    await triggerSchedule(client(), 'corp-rotation');
    const second = await scheduledRun('rotate-keys', 'cloudtrust-rotate:lab-corp-', seen);
    const rotated = (await client().workflow.getHandle(second.id, second.runId).result()) as RunbookReport;
    expect(rotated.request).toMatch(/forced past the 24-hour rule/);
    expect(rotated.domains[0]).toMatchObject({ domain: CORP, status: 'succeeded' });
    expect((await corpDomain()).kerberosServer.ad!.keyVersion).toBeGreaterThan(keyBefore);
    expect((await waitForValue(async () => (await listRuns(client(), { kinds: ['rotate-keys'] })).find((r) => r.runId === second.runId && r.state !== 'running'))).state).toBe('completed');
    await deleteSchedule(client(), 'corp-rotation');
  }, 120_000);

  test('one key rotation per spec at a time: a scheduled run that finds the lock held fails with Conflict and changes nothing', async () => {
    const holder = await client().workflow.start(runbookLock, { taskQueue: lab.taskQueue, workflowId: runbookLockId('rotate-keys', corpSpec.name) });
    const keyBefore = (await corpDomain()).kerberosServer.ad!.keyVersion;
    const before = (await lab.store.read()).mutations;
    await createSchedule(client(), scheduleRequestSchema.parse({ name: 'corp-locked', kind: 'rotate-keys', spec: corpSpec, every: '90d', force: true }), lab.taskQueue);
    const seen = new Set((await listRuns(client(), { kinds: ['rotate-keys'] })).map((r) => r.runId));
    await triggerSchedule(client(), 'corp-locked');
    const refused = await scheduledRun('rotate-keys', 'cloudtrust-rotate:lab-corp-', seen, 'FAILED');
    const failure = await client().workflow.getHandle(refused.id, refused.runId).result().then(() => undefined, (e: unknown) => e as WorkflowFailedError);
    expect(failure?.cause).toMatchObject({ type: 'Conflict', message: expect.stringContaining(`another rotate-keys run of lab-corp is in progress (it holds cloudtrust-lock:rotate-keys:lab-corp)`) });
    expect((await lab.store.read()).mutations).toEqual(before);

    await holder.terminate('test: the other rotation has finished');
    seen.add(refused.runId);
    // Action times are whole seconds, and a key updated at or after a request counts as already rotated for it: let
    // this action fall in a later second than the previous test's rotation.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await triggerSchedule(client(), 'corp-locked');
    await scheduledRun('rotate-keys', 'cloudtrust-rotate:lab-corp-', seen);
    expect((await corpDomain()).kerberosServer.ad!.keyVersion).toBeGreaterThan(keyBefore);
    await deleteSchedule(client(), 'corp-locked');
  }, 120_000);
});
