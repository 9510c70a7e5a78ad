import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { LabEstate } from '../../lab/estate/schema';
import type { RunbookDomainReport, RunbookReport } from '../../model/report-types';
import type { RolloutSpec } from '../../model/spec';
import { validateSpec } from '../../model/spec-file';
import { rollout } from '../../workflows';
import { rollback, rotateKeys, runbookProgressQuery, type RollbackInput, type RotateKeysInput } from '../../workflows/runbooks';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';

const CORP = 'corp.contoso.com';
const EMEA = 'emea.corp.contoso.com';
const GPO_NAME = 'cloudtrust - Windows Hello for Business cloud Kerberos trust';
const CORP_TARGET = 'OU=Workstations,DC=corp,DC=contoso,DC=com';
const PILOT_GROUP = { id: '0b7d2f44-91c3-4e0a-8f55-2a6c1d9e7b30', displayName: 'WHfB-Intune-Pilot' };
const OTHER_GROUP_ID = '6e1a9c2b-3d4f-4a5b-8c7d-9e0f1a2b3c4d';

/** The lab-default spec without the approval gate on the broad ring. */
const labSpec: RolloutSpec = (() => {
  const spec = readLabDefaultSpec();
  return { ...spec, rings: spec.rings.map(({ approval: _approval, ...ring }) => ring) };
})();

/** Both domains on the Intune channel through the custom OMA-URI profile: corp's group exists (seeded below), emea's does not. */
const intuneSpec = validateSpec({
  name: 'lab-intune',
  tenant: { id: labSpec.tenant.id, graph: { clientId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d', certificateThumbprint: 'A'.repeat(40) } },
  cloudSignIn: { secret: 'kerberos-admin' },
  domains: [
    { name: CORP, channel: 'intune', intune: { group: PILOT_GROUP.displayName, delivery: 'custom-profile' } },
    { name: EMEA, channel: 'intune', intune: { group: 'WHfB-Intune-Nobody', delivery: 'custom-profile' } },
  ],
  rings: [{ name: 'all', domains: [CORP, EMEA] }],
});

/** A cloud-trust profile already assigned to the pilot group and to another one, as an earlier Intune rollout leaves it. */
function seedIntune(estate: LabEstate): void {
  const { clientId, certificateThumbprint } = intuneSpec.tenant.graph!;
  estate.tenant.applications.push({ appId: clientId, displayName: 'cloudtrust Intune automation', certificateThumbprints: [certificateThumbprint], roles: ['Organization.Read.All', 'Group.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All'] });
  estate.managementHost.certificates.push({ thumbprint: certificateThumbprint, subject: 'CN=cloudtrust Intune automation', store: 'CurrentUser\\My' });
  estate.tenant.groups.push({ ...PILOT_GROUP, mailNickname: 'WHfB-Intune-Pilot', securityEnabled: true, members: [] });
  estate.tenant.deviceConfigurations.push({
    id: '3c5e7a9b-1d2f-4e6a-8b0c-2d4e6f8a0b1c',
    displayName: GPO_NAME,
    description: '',
    odataType: '#microsoft.graph.windows10CustomConfiguration',
    omaSettings: [{ displayName: 'UseCloudTrustForOnPremAuth', omaUri: `./Device/Vendor/MSFT/PassportForWork/${labSpec.tenant.id}/Policies/UseCloudTrustForOnPremAuth`, valueType: 'boolean', value: true }],
    assignments: [{ groupId: PILOT_GROUP.id }, { groupId: OTHER_GROUP_ID }],
  });
}

/*
 * One estate for the whole file: the tests run in order and each builds on the one before (rollout, rotations,
 * rollbacks), as an operator would run them.
 */
describe('runbooks end to end: real Temporal server, real worker, the real scripts in the lab', () => {
  let lab: LabWorker;

  beforeAll(async () => {
    lab = await startLabWorker({ adjust: seedIntune, taskQueuePrefix: 'runbooks' });
  }, 120_000);

  afterAll(() => lab?.stop());

  const rotate = (input: RotateKeysInput) => lab.context.env.client.workflow.start(rotateKeys, { taskQueue: lab.taskQueue, workflowId: `rotate/${randomUUID()}`, args: [input] });
  const roll = (input: RollbackInput) => lab.context.env.client.workflow.execute(rollback, { taskQueue: lab.taskQueue, workflowId: `rollback/${randomUUID()}`, args: [input] });
  const mutations = async () => (await lab.store.read()).mutations;
  const corpDomain = async () => (await lab.store.read()).forests.flatMap((f) => f.domains).find((d) => d.dnsName === CORP)!;
  const entry = (report: RunbookReport, domain: string): RunbookDomainReport => report.domains.find((d) => d.domain === domain)!;
  const step = (report: RunbookReport, domain: string, name: string) => entry(report, domain).steps.find((s) => s.step === name)!;
  const now = () => new Date().toISOString();

  async function expectInvalidInput(result: Promise<unknown>): Promise<void> {
    const error = await result.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe('InvalidInput');
  }

  test('a rollout puts corp in place (emea is not ready), so there is something to rotate and roll back', async () => {
    const report = await lab.context.env.client.workflow.execute(rollout, { taskQueue: lab.taskQueue, workflowId: `rollout/${randomUUID()}`, args: [{ spec: labSpec, mode: 'apply', specDigest: 'test' }] });
    expect(report.domains.map((d) => [d.domain, d.status])).toEqual([
      [CORP, 'succeeded'],
      [EMEA, 'not-ready'],
    ]);
    expect((await corpDomain()).kerberosServer.ad).not.toBeNull();
  }, 90_000);

  describe('rotateKeys', () => {
    test('plan changes nothing: corp would rotate; emea, without an object, fails on its own', async () => {
      const before = await mutations();
      const report = await (await rotate({ spec: labSpec, mode: 'plan', requestedAt: now(), force: true })).result();
      expect(entry(report, CORP).status).toBe('planned');
      expect(step(report, CORP, 'kerberos.rotate-key')).toMatchObject({ status: 'ok', changed: true, planOnly: true });
      expect(step(report, CORP, 'kerberos.rotate-key').changes[0]).toMatch(/^rotate the Kerberos server key of corp\.contoso\.com/);
      expect(entry(report, EMEA).status).toBe('failed');
      expect(step(report, EMEA, 'kerberos.rotate-key').error?.message).toMatch(/does not exist/);
      expect(await mutations()).toEqual(before);
    });

    test('within 24 hours of the last key update and without force: skipped with a warning, not failed', async () => {
      const report = await (await rotate({ spec: labSpec, mode: 'apply', requestedAt: now(), domains: [CORP] })).result();
      expect(report.domains.map((d) => d.domain)).toEqual([CORP]);
      expect(entry(report, CORP).status).toBe('skipped');
      expect(step(report, CORP, 'kerberos.rotate-key')).toMatchObject({ status: 'skipped', changed: false, detail: 'key updated less than 24 hours ago' });
      expect(step(report, CORP, 'kerberos.rotate-key').warnings.join('\n')).toMatch(/less than 24 hours ago/);
      expect((await mutations())[`kerberos-key:${CORP}`]).toBeUndefined();
    });

    test('with force: rotated exactly once; the same input again does not rotate again', async () => {
      const input: RotateKeysInput = { spec: labSpec, mode: 'apply', requestedAt: now(), force: true, domains: [CORP] };
      const first = await (await rotate(input)).result();
      expect(entry(first, CORP).status).toBe('succeeded');
      expect(step(first, CORP, 'kerberos.rotate-key')).toMatchObject({ status: 'ok', changed: true, planOnly: false });
      expect(step(first, CORP, 'kerberos.rotate-key').detail).toMatch(/^key version \d+ → \d+$/);
      expect((await mutations())[`kerberos-key:${CORP}`]).toBe(1);

      const again = await rotate(input);
      const second = await again.result();
      expect(entry(second, CORP).status).toBe('succeeded');
      expect(step(second, CORP, 'kerberos.rotate-key')).toMatchObject({ status: 'skipped', changed: false, detail: 'already rotated for this request' });
      expect((await mutations())[`kerberos-key:${CORP}`]).toBe(1);
      expect(await again.query(runbookProgressQuery)).toEqual(second);
    });

    test('an MFA-protected admin: nothing is tried, the operator gets the exact command', async () => {
      const before = await mutations();
      const spec: RolloutSpec = { ...labSpec, cloudSignIn: { interactive: { userPrincipalName: 'cloud-admin@contoso.com' } } };
      const report = await (await rotate({ spec, mode: 'apply', requestedAt: now(), force: true, domains: [CORP] })).result();
      expect(entry(report, CORP).status).toBe('needs-operator');
      expect(entry(report, CORP).operatorCommand).toContain("Set-AzureADKerberosServer -Domain 'corp.contoso.com' -UserPrincipalName 'cloud-admin@contoso.com' -RotateServerKey");
      expect(await mutations()).toEqual(before);
    });

    test('requestedAt must be a UTC timestamp, not in the future; domains must be declared', async () => {
      await expectInvalidInput(rotate({ spec: labSpec, mode: 'apply', requestedAt: '2026-11-25 10:00' }).then((h) => h.result()));
      await expectInvalidInput(rotate({ spec: labSpec, mode: 'apply', requestedAt: new Date(Date.now() + 3_600_000).toISOString() }).then((h) => h.result()));
      await expectInvalidInput(rotate({ spec: labSpec, mode: 'apply', requestedAt: now(), domains: ['other.contoso.com'] }).then((h) => h.result()));
    });
  });

  describe('rollback', () => {
    test('removeKerberosObject without confirmRemoval fails with InvalidInput before any change', async () => {
      const before = await mutations();
      await expectInvalidInput(roll({ spec: labSpec, mode: 'apply', policy: 'disable', removeKerberosObject: true }));
      expect(await mutations()).toEqual(before);
    });

    test('plan changes nothing, even with both removal flags', async () => {
      const before = await mutations();
      const report = await roll({ spec: labSpec, mode: 'plan', policy: 'disable', removeKerberosObject: true, confirmRemoval: true, domains: [CORP] });
      expect(entry(report, CORP).status).toBe('planned');
      expect(step(report, CORP, 'gpo.rollback-policy').changes.join('\n')).toMatch(/Enabled = 0/);
      expect(step(report, CORP, 'kerberos.remove-server').changes.join('\n')).toMatch(/remove the Azure AD Kerberos server object of corp\.contoso\.com/);
      expect(await mutations()).toEqual(before);
    });

    test('disable sets Enabled = 0 in the GPO and keeps the Kerberos object (confirmRemoval alone is not enough)', async () => {
      const report = await roll({ spec: labSpec, mode: 'apply', policy: 'disable', confirmRemoval: true });
      expect(entry(report, CORP).status).toBe('succeeded');
      expect(step(report, CORP, 'kerberos.remove-server')).toMatchObject({ status: 'skipped', changed: false });
      expect(entry(report, EMEA).status).toBe('succeeded');
      expect(step(report, EMEA, 'gpo.rollback-policy').warnings.join('\n')).toMatch(/nothing to roll back/);

      const domain = await corpDomain();
      const gpo = domain.gpos.find((g) => g.displayName === GPO_NAME)!;
      expect(gpo.registryValues.find((v) => v.valueName === 'Enabled')?.value).toBe(0);
      expect(gpo.links.map((l) => l.target)).toEqual([CORP_TARGET]);
      expect(domain.kerberosServer.ad).not.toBeNull();
      expect((await mutations())[`kerberos-removed:${CORP}`]).toBeUndefined();
    });

    test('with both flags: unlinked and the object removed exactly once; again changes nothing', async () => {
      const input: RollbackInput = { spec: labSpec, mode: 'apply', policy: 'unlink', removeKerberosObject: true, confirmRemoval: true, domains: [CORP] };
      const first = await roll(input);
      expect(entry(first, CORP).status).toBe('succeeded');
      expect(step(first, CORP, 'kerberos.remove-server')).toMatchObject({ status: 'ok', changed: true });
      const domain = await corpDomain();
      expect(domain.gpos.find((g) => g.displayName === GPO_NAME)!.links).toEqual([]);
      expect(domain.kerberosServer).toMatchObject({ ad: null, cloud: null });
      expect((await mutations())[`kerberos-removed:${CORP}`]).toBe(1);

      const second = await roll(input);
      expect(step(second, CORP, 'gpo.rollback-policy').changed).toBe(false);
      expect(step(second, CORP, 'kerberos.remove-server').changed).toBe(false);
      expect((await mutations())[`kerberos-removed:${CORP}`]).toBe(1);
    });

    test("intune: the group is resolved read-only and only its assignment goes; a missing group has nothing assigned", async () => {
      const assignments = async () => (await lab.store.read()).tenant.deviceConfigurations.find((c) => c.displayName === GPO_NAME)!.assignments.map((a) => a.groupId);
      const plan = await roll({ spec: intuneSpec, mode: 'plan', policy: 'unlink' });
      expect(entry(plan, CORP).status).toBe('planned');
      expect(await assignments()).toEqual([PILOT_GROUP.id, OTHER_GROUP_ID]);

      const groupsBefore = (await lab.store.read()).tenant.groups.length;
      const report = await roll({ spec: intuneSpec, mode: 'apply', policy: 'unlink' });
      expect(step(report, CORP, 'intune.ensure-group')).toMatchObject({ status: 'ok', changed: false, detail: `group ${PILOT_GROUP.displayName} is ${PILOT_GROUP.id}` });
      expect(step(report, CORP, 'intune.rollback-profile')).toMatchObject({ status: 'ok', changed: true });
      expect(await assignments()).toEqual([OTHER_GROUP_ID]);
      expect(entry(report, EMEA).status).toBe('succeeded');
      expect(step(report, EMEA, 'intune.rollback-profile')).toMatchObject({ status: 'skipped', changed: false });
      expect((await lab.store.read()).tenant.groups.length).toBe(groupsBefore);
    });
  });
});
