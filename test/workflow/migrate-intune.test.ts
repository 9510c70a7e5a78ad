import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { LabEstate } from '../../lab/estate/schema';
import type { RunbookDomainReport, RunbookReport } from '../../model/report-types';
import { validateSpec } from '../../model/spec-file';
import { driftCheck } from '../../workflows/drift-check';
import { migrateIntune, rollback, type MigrateIntuneInput, type RollbackInput } from '../../workflows/runbooks';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';

const CORP = 'corp.contoso.com';
const POLICY = 'cloudtrust - Windows Hello for Business cloud Kerberos trust';
const PILOT_GROUP = { id: '0b7d2f44-91c3-4e0a-8f55-2a6c1d9e7b30', displayName: 'WHfB-Intune-Pilot' };
const PROFILE_ID = '3c5e7a9b-1d2f-4e6a-8b0c-2d4e6f8a0b1c';
const tenantId = readLabDefaultSpec().tenant.id;

/** One intune domain; the spec says nothing of delivery, so it is the settings catalog. */
const spec = validateSpec({
  name: 'lab-migrate',
  tenant: { id: tenantId, graph: { clientId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', certificateThumbprint: 'A'.repeat(40) } },
  cloudSignIn: { secret: 'kerberos-admin' },
  domains: [{ name: CORP, channel: 'intune', intune: { group: PILOT_GROUP.displayName } }],
  rings: [{ name: 'all', domains: [CORP] }],
});

const EMEA = 'emea.corp.contoso.com';
const EMEA_GROUP = { id: '7d2c4e6f-8a0b-4c1d-9e3f-5a7b9c1d3e5f', displayName: 'WHfB-Intune-EMEA' };
/** Two domains sharing the policy and the profile by name, each through its own group. */
const twoDomains = validateSpec({
  ...spec,
  domains: [spec.domains[0], { name: EMEA, channel: 'intune', intune: { group: EMEA_GROUP.displayName } }],
  rings: [{ name: 'all', domains: [CORP, EMEA] }],
});

/** The custom OMA-URI profile an earlier Intune rollout left, assigned to the pilot group. */
function seedCustomProfile(estate: LabEstate): void {
  const { clientId, certificateThumbprint } = spec.tenant.graph!;
  estate.tenant.applications.push({ appId: clientId, displayName: 'cloudtrust Intune automation', certificateThumbprints: [certificateThumbprint], roles: ['Organization.Read.All', 'Group.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All'] });
  estate.managementHost.certificates.push({ thumbprint: certificateThumbprint, subject: 'CN=cloudtrust Intune automation', store: 'CurrentUser\\My' });
  estate.tenant.groups.push({ ...PILOT_GROUP, mailNickname: 'WHfB-Intune-Pilot', securityEnabled: true, members: [] });
  estate.tenant.groups.push({ ...EMEA_GROUP, mailNickname: 'WHfB-Intune-EMEA', securityEnabled: true, members: [] });
  const policies = `./Device/Vendor/MSFT/PassportForWork/${tenantId}/Policies`;
  estate.tenant.deviceConfigurations.push({
    id: PROFILE_ID,
    displayName: POLICY,
    description: '',
    odataType: '#microsoft.graph.windows10CustomConfiguration',
    omaSettings: [
      { displayName: 'UsePassportForWork', omaUri: `${policies}/UsePassportForWork`, valueType: 'boolean', value: true },
      { displayName: 'UseCloudTrustForOnPremAuth', omaUri: `${policies}/UseCloudTrustForOnPremAuth`, valueType: 'boolean', value: true },
    ],
    assignments: [{ groupId: PILOT_GROUP.id }],
  });
}

/* One estate for the file: plan, an interrupted migration, its re-run, then the rollback, in order. */
describe('migrate-intune: custom OMA-URI profile -> settings-catalog policy, real worker and scripts in the lab', () => {
  let lab: LabWorker;

  beforeAll(async () => {
    lab = await startLabWorker({ adjust: seedCustomProfile, taskQueuePrefix: 'migrate' });
  }, 120_000);

  afterAll(() => lab?.stop());

  const migrate = (input: MigrateIntuneInput) => lab.context.env.client.workflow.execute(migrateIntune, { taskQueue: lab.taskQueue, workflowId: `migrate/${randomUUID()}`, args: [input] });
  const roll = (input: RollbackInput) => lab.context.env.client.workflow.execute(rollback, { taskQueue: lab.taskQueue, workflowId: `rollback/${randomUUID()}`, args: [input] });
  const entry = (report: RunbookReport): RunbookDomainReport => report.domains.find((d) => d.domain === CORP)!;
  /** The nth record of a step (a rollback step records the unassignment, then the removal). */
  const step = (report: RunbookReport, name: string, nth = 0) => entry(report).steps.filter((s) => s.step === name)[nth];
  /** Which of the two delivers the policy to the pilot group now. */
  const applied = async () => {
    const tenant = (await lab.store.read()).tenant;
    return {
      custom: tenant.deviceConfigurations.some((c) => c.displayName === POLICY && c.assignments.some((a) => a.groupId === PILOT_GROUP.id)),
      catalog: tenant.configurationPolicies.some((p) => p.name === POLICY && p.assignments.some((a) => a.groupId === PILOT_GROUP.id)),
    };
  };

  test('plan: every step reports what it would do, nothing changes', async () => {
    const plan = await migrate({ spec, mode: 'plan' });
    expect(entry(plan).status).toBe('planned');
    expect(step(plan, 'intune.ensure-catalog-policy')).toMatchObject({ changed: true, changes: [expect.stringMatching(/^create settings-catalog policy/)] });
    expect(step(plan, 'intune.ensure-catalog-assignment')?.changes).toEqual([expect.stringMatching(/\(to be created\) to group/)]);
    expect(step(plan, 'policy.verify')?.status).toBe('skipped');
    expect(step(plan, 'intune.rollback-profile')?.changes).toEqual([expect.stringMatching(/^remove the assignment of group/)]);
    expect(step(plan, 'intune.rollback-profile', 1)?.changes).toEqual([expect.stringMatching(/^delete profile/)]);
    expect(await applied()).toEqual({ custom: true, catalog: false });
    expect((await lab.store.read()).tenant.configurationPolicies).toEqual([]);
  });

  test('interrupted after the catalog policy is assigned: the custom profile stays assigned; the re-run finishes', async () => {
    const assignUri = `v1.0/deviceManagement/deviceConfigurations/${PROFILE_ID}/assign`;
    await lab.store.update((estate) => {
      estate.faults.push({ command: 'Invoke-MgGraphRequest', target: assignUri, mode: 'permanent', message: 'simulated outage' });
    });
    const failed = await migrate({ spec, mode: 'apply' });
    expect(entry(failed).status).toBe('failed');
    expect(step(failed, 'policy.verify')).toMatchObject({ status: 'ok' });
    expect(step(failed, 'intune.rollback-profile')?.status).toBe('failed');
    expect(await applied()).toEqual({ custom: true, catalog: true });

    await lab.store.update((estate) => {
      estate.faults = [];
    });
    const done = await migrate({ spec, mode: 'apply' });
    expect(entry(done).status).toBe('succeeded');
    expect(step(done, 'intune.ensure-catalog-policy')?.changed).toBe(false);
    expect(step(done, 'intune.ensure-catalog-assignment')?.changed).toBe(false);
    expect(step(done, 'intune.rollback-profile')?.changed).toBe(true);
    expect(step(done, 'intune.rollback-profile', 1)?.changed).toBe(true);
    expect(await applied()).toEqual({ custom: false, catalog: true });
    expect((await lab.store.read()).tenant.deviceConfigurations.filter((c) => c.displayName === POLICY)).toEqual([]);

    const again = await migrate({ spec, mode: 'apply' });
    expect(entry(again).steps.every((s) => !s.changed)).toBe(true);
  });

  test('a spec that keeps the custom profile is refused', async () => {
    const custom = { ...spec, domains: spec.domains.map((d) => (d.channel === 'intune' ? { ...d, intune: { ...d.intune, delivery: 'custom-profile' as const } } : d)) };
    const report = await migrate({ spec: custom, mode: 'plan' }).catch((e: unknown) => e);
    const failure = report instanceof WorkflowFailedError ? report.cause : entry(report as RunbookReport).steps.at(-1)?.error;
    if (failure instanceof ApplicationFailure) expect(failure.type).toBe('InvalidInput');
    else expect(failure).toMatchObject({ type: 'InvalidInput' });
  });

  test('drift check: the migrated catalog policy is in sync; a lost assignment or a changed setting is drift', async () => {
    const intuneDrift = async () => {
      const report = await lab.context.env.client.workflow.execute(driftCheck, { taskQueue: lab.taskQueue, workflowId: `drift/${randomUUID()}`, args: [{ spec, specDigest: 'test' }] });
      return report.domains.find((d) => d.domain === CORP)!.changes.filter((c) => c.startsWith('intune.'));
    };
    expect(await intuneDrift()).toEqual([]);
    await lab.store.update((estate) => {
      const policy = estate.tenant.configurationPolicies.find((p) => p.name === POLICY)!;
      policy.assignments = [];
      const group = policy.settings[0].settingInstance as { groupSettingCollectionValue: Array<{ children: Array<{ choiceSettingValue: { value: string } }> }> };
      for (const child of group.groupSettingCollectionValue[0].children) child.choiceSettingValue.value = child.choiceSettingValue.value.replace(/_true$/, '_false');
    });
    expect(await intuneDrift()).toEqual([
      expect.stringMatching(/^intune\.ensure-catalog-policy: set device_vendor_msft_passportforwork_\{tenantid\}_policies_usepassportforwork = .*_true$/),
      expect.stringMatching(/^intune\.ensure-catalog-policy: set device_vendor_msft_passportforwork_\{tenantid\}_policies_usecloudtrustforonpremauth = .*_true$/),
      expect.stringMatching(/^intune\.ensure-catalog-assignment: assign policy/),
    ]);
    const again = await migrate({ spec, mode: 'apply' });
    expect(entry(again).status).toBe('succeeded');
    expect(await intuneDrift()).toEqual([]);
  }, 300_000);

  test('rollback unassigns the catalog policy from the group, then removes it', async () => {
    const report = await roll({ spec, mode: 'apply', policy: 'unlink' });
    expect(step(report, 'intune.rollback-catalog-policy')).toMatchObject({ status: 'ok', changed: true });
    expect(step(report, 'intune.rollback-catalog-policy', 1)).toMatchObject({ status: 'ok', changed: true });
    expect((await lab.store.read()).tenant.configurationPolicies).toEqual([]);
  });

  test('two domains sharing the profile: both groups end on the catalog policy; the profile goes with the last one', async () => {
    await lab.store.update((estate) => {
      seedProfileAgain(estate, [PILOT_GROUP.id, EMEA_GROUP.id]);
    });
    const report = await migrate({ spec: twoDomains, mode: 'apply' });
    expect(report.domains.map((d) => [d.domain, d.status])).toEqual([
      [CORP, 'succeeded'],
      [EMEA, 'succeeded'],
    ]);
    expect(entry(report).steps.filter((s) => s.step === 'intune.rollback-profile')[1]).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/1 other assignment/) });
    expect(report.domains[1].steps.filter((s) => s.step === 'intune.rollback-profile')[1]).toMatchObject({ status: 'ok', changed: true });
    const tenant = (await lab.store.read()).tenant;
    expect(tenant.configurationPolicies.find((p) => p.name === POLICY)!.assignments.map((a) => a.groupId).sort()).toEqual([PILOT_GROUP.id, EMEA_GROUP.id].sort());
    expect(tenant.deviceConfigurations.filter((c) => c.displayName === POLICY)).toEqual([]);
  });
});

function seedProfileAgain(estate: LabEstate, groupIds: string[]): void {
  const policies = `./Device/Vendor/MSFT/PassportForWork/${tenantId}/Policies`;
  estate.tenant.deviceConfigurations.push({
    id: PROFILE_ID,
    displayName: POLICY,
    description: '',
    odataType: '#microsoft.graph.windows10CustomConfiguration',
    omaSettings: [{ displayName: 'UseCloudTrustForOnPremAuth', omaUri: `${policies}/UseCloudTrustForOnPremAuth`, valueType: 'boolean', value: true }],
    assignments: groupIds.map((groupId) => ({ groupId })),
  });
}
