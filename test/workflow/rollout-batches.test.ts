import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { startRollout } from '../../client/rollouts';
import { isRolloutRecord, type RolloutRecord } from '../../model/report-types';
import type { RolloutSpec } from '../../model/spec';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';

const EventType = temporal.api.enums.v1.EventType;
const CORP = 'corp.contoso.com';
const EMEA = 'emea.corp.contoso.com';

/** Both lab domains in one ring, one domain per batch: a ring held in two batches. */
function twoBatchSpec(failureBudget: number): RolloutSpec {
  const spec = structuredClone(readLabDefaultSpec());
  spec.name = `lab-${randomUUID().slice(0, 8)}`;
  spec.rings = [{ name: 'all', domains: [CORP, EMEA], concurrency: 2, failureBudget }];
  spec.options.replicationPollInterval = '1s';
  spec.options.domainsPerBatch = 1;
  return spec;
}

describe('a rollout that holds its domains in batches (real Temporal, real worker, lab)', () => {
  let lab: LabWorker;

  beforeAll(async () => {
    // emea's Lyon DC made writable and patched: both domains pass preflight.
    lab = await startLabWorker({
      taskQueuePrefix: 'batches',
      adjust: (estate) => {
        for (const dc of estate.forests.flatMap((f) => f.domains).flatMap((d) => d.controllers)) {
          dc.isReadOnly = false;
          if (dc.currentBuild === 14393) dc.ubr = Math.max(dc.ubr, 7000);
        }
      },
    });
  });
  afterAll(() => lab?.stop());

  beforeEach(() =>
    lab.store.update((estate) => {
      for (const domain of estate.forests.flatMap((f) => f.domains)) {
        domain.kerberosServer.ad = null;
        domain.kerberosServer.cloud = null;
        domain.kerberosServer.replicationDelaySeconds = 1;
        domain.gpos = domain.gpos.filter((g) => !g.displayName.startsWith('cloudtrust'));
      }
      estate.faults = [];
    }),
  );

  const client = () => lab.context.env.client;

  async function activityTypes(workflowId: string): Promise<string[]> {
    const history = await client().workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name!);
  }

  test('a ring in two batches: they run one after another, the rollout keeps summaries, its history reads no domain, and the report reads whole', async () => {
    const spec = twoBatchSpec(0);
    const started = await startRollout(client(), spec, 'apply', lab.taskQueue);
    const report = await started.report();
    expect(report.state).toBe('completed');
    expect(report.domains.map((d) => [d.domain, d.status])).toEqual([
      [CORP, 'succeeded'],
      [EMEA, 'succeeded'],
    ]);
    // The whole report comes from the domain children: steps, preflight findings and site capacity.
    const corp = report.domains[0];
    expect(corp.steps.map((s) => s.step)).toEqual(expect.arrayContaining(['kerberos.ensure-server', 'kerberos.replication-wait', 'gpo.ensure-policy', 'gpo.ensure-filtering', 'gpo.ensure-links', 'policy.verify']));
    expect(corp.sites?.map((s) => s.site)).toEqual(['Branch-Lyon', 'HQ']);
    expect(corp.policySources).toBeDefined();

    const record = (await started.handle.result()) as RolloutRecord;
    expect(isRolloutRecord(record)).toBe(true);
    expect(record.batches.map((b) => [b.workflowId, b.ring, b.domains, b.status])).toEqual([
      [`${started.workflowId}/batch/all/1`, 'all', 1, 'completed'],
      [`${started.workflowId}/batch/all/2`, 'all', 1, 'completed'],
    ]);
    expect(record.domains[0]).toMatchObject({ domain: CORP, status: 'succeeded', batch: 0, child: true });
    expect(record.domains[0].counts.steps).toBe(corp.steps.length);
    expect(record.domains[0]).not.toHaveProperty('steps');
    // The second batch started its domain after the first batch had ended.
    const [first, second] = report.domains;
    expect(Date.parse(second.startedAt!)).toBeGreaterThanOrEqual(Date.parse(first.finishedAt!));

    // The rollout reads the tenant and the management host; every domain read is in a batch or a domain child.
    expect(new Set(await activityTypes(started.workflowId))).toEqual(new Set(['hostReadModule', 'hostEnsureModule']));
    expect(await activityTypes(`${started.workflowId}/batch/all/1`)).toEqual(['domainReadInventory', 'gpoScanPassport']);
  }, 240_000);

  test("the ring's failure budget counts across its batches: a failure in the first leaves the second unstarted, its preflight still in the report", async () => {
    await lab.store.update((estate) => {
      estate.faults = [{ command: 'Set-GPRegistryValue', target: CORP, mode: 'permanent', message: 'Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))', category: 'PermissionDenied', errorId: 'UnauthorizedAccess' }];
    });
    const spec = twoBatchSpec(0);
    const started = await startRollout(client(), spec, 'apply', lab.taskQueue);
    const report = await started.report();
    expect(report.state).toBe('halted');
    expect(report.haltReason).toBe('ring all spent its failure budget (1 failed, 0 allowed)');
    expect(report.domains.map((d) => [d.domain, d.status])).toEqual([
      [CORP, 'failed'],
      [EMEA, 'pending'],
    ]);
    // emea had no domain child: its report is its batch's, with what its preflight found.
    const emea = report.domains[1];
    expect(emea.steps).toEqual([]);
    expect(emea.sites?.map((s) => s.site)).toEqual(['Branch-Lyon', 'HQ']);
    const record = (await started.handle.result()) as RolloutRecord;
    expect(record.batches.map((b) => b.status)).toEqual(['completed', 'skipped']);
    expect(record.domains[1]).not.toHaveProperty('child');
  }, 240_000);
});
