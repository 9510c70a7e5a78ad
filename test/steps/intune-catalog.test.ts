import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { powershellDir } from '../../activities/bridge/paths';
import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { allSteps } from '../../activities/steps';
import { defineStep } from '../../activities/steps/contract';
import { intuneEnsureAssignmentStep, intuneRollbackStep } from '../../activities/steps/intune';
import {
  catalogSetting,
  intuneCatalogReadStep,
  intuneCatalogRollbackStep,
  intuneEnsureCatalogAssignmentStep,
  intuneEnsureCatalogPolicyStep,
  PASSPORT_GROUP,
} from '../../activities/steps/intune-catalog';
import { EstateStore } from '../../lab/estate/store';
import { bridgeFailure } from '../support/bridge-failure';
import { labPool } from '../transport/pool-fixture';

const TENANT_ID = '4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d';
const GROUP_PILOT = '0c1a2b3c-0000-4000-8000-000000000001';
const GROUP_OTHER = '0c1a2b3c-0000-4000-8000-000000000002';
const graph = { tenantId: TENANT_ID, clientId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', certificateThumbprint: '0123456789ABCDEF0123456789ABCDEF01234567' };
const APP = { appId: graph.clientId, displayName: 'cloudtrust automation', certificateThumbprints: [graph.certificateThumbprint] };
const POLICY = 'WHfB cloud Kerberos trust';
const PASSPORT = `./Device/Vendor/MSFT/PassportForWork/${TENANT_ID}/Policies`;
const USE_PASSPORT = catalogSetting('usepassportforwork');
const CLOUD_TRUST = catalogSetting('usecloudtrustforonpremauth');
const SECURITY_DEVICE = catalogSetting('requiresecuritydevice');

type Json = Record<string, unknown>;

const scripts = mkdtempSync(path.join(tmpdir(), 'cloudtrust-catalog-scripts-'));
/** A copy of the reviewed Set script with one edit, as a step of its own. */
function editedPolicyStep(id: string, from: string, to: string) {
  const text = readFileSync(path.join(powershellDir(), 'intune/ensure-catalog-policy.ps1'), 'utf8');
  if (!text.includes(from)) throw new Error(`intune/ensure-catalog-policy.ps1 no longer contains ${from}`);
  const file = path.join(scripts, `${id}.ps1`);
  writeFileSync(file, text.replace(from, to));
  return defineStep({ id, script: path.relative(powershellDir(), file), description: id, input: intuneEnsureCatalogPolicyStep.input, output: z.unknown(), timeoutMs: 60_000 });
}
const wrongDefinition = editedPolicyStep('test.catalog-wrong-definition', "$group + '_policies_usecloudtrustforonpremauth'", "$group + '_policies_usecloudtrustforonpremauthentication'");
const wrongChoice = editedPolicyStep('test.catalog-wrong-choice', "value = $cloudTrust + '_true'", "value = $usePassport + '_true'");

function estate(tenant: Json = {}, faults: Json[] = []): Json {
  return {
    name: 'intune-catalog-steps',
    tenant: {
      id: TENANT_ID,
      displayName: 'Contoso',
      verifiedDomains: ['contoso.com'],
      groups: [
        { id: GROUP_PILOT, displayName: 'WHfB pilot devices', mailNickname: 'WHfB-pilot-devices' },
        { id: GROUP_OTHER, displayName: 'Kiosks', mailNickname: 'Kiosks' },
      ],
      applications: [APP],
      ...tenant,
    },
    managementHost: { certificates: [{ thumbprint: graph.certificateThumbprint, subject: 'CN=cloudtrust automation' }] },
    forests: [{ name: 'corp.contoso.com', sites: ['HQ'], domains: [{ dnsName: 'corp.contoso.com', netBiosName: 'CORP', distinguishedName: 'DC=corp,DC=contoso,DC=com', controllers: [{ hostName: 'dc01.corp.contoso.com', site: 'HQ', operatingSystem: 'Windows Server 2022 Datacenter', currentBuild: 20348, ubr: 2849 }] }] }],
    faults,
  };
}

const choice = (id: string, value: string) => ({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: id, choiceSettingValue: { value, children: [] } });
function catalogPolicy(id: string, name: string, children: Json[], groupIds: string[] = []): Json {
  return {
    id,
    name,
    settings: [{ '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting', settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance', settingDefinitionId: PASSPORT_GROUP, groupSettingCollectionValue: [{ children }] } }],
    assignments: groupIds.map((groupId) => ({ groupId })),
  };
}
const customProfile = (id: string, groupIds: string[]) => ({
  id,
  displayName: POLICY,
  odataType: '#microsoft.graph.windows10CustomConfiguration',
  omaSettings: [
    { displayName: 'UsePassportForWork', omaUri: `${PASSPORT}/UsePassportForWork`, valueType: 'boolean', value: true },
    { displayName: 'UseCloudTrustForOnPremAuth', omaUri: `${PASSPORT}/UseCloudTrustForOnPremAuth`, valueType: 'boolean', value: true },
  ],
  assignments: groupIds.map((groupId) => ({ groupId })),
});

describe('settings-catalog steps against the lab', () => {
  let dir: string;
  let file: string;
  let pool: PowerShellPool;
  const write = (content: Json) => writeFileSync(file, JSON.stringify(content));
  const read = () => new EstateStore(file).read();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-catalog-'));
    file = path.join(dir, 'estate.json');
    write(estate());
    pool = labPool(1, { ...process.env, CLOUDTRUST_LAB_ESTATE: file }, [...allSteps, wrongDefinition, wrongChoice]);
    await pool.warm();
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(scripts, { recursive: true, force: true });
  });
  beforeEach(() => write(estate()));

  const ensurePolicy = (extra: Json = {}) => runStep(pool, intuneEnsureCatalogPolicyStep, { ...graph, name: POLICY, ...extra });
  const ensureAssignment = (extra: Json = {}) => runStep(pool, intuneEnsureCatalogAssignmentStep, { ...graph, policyName: POLICY, groupId: GROUP_PILOT, ...extra });

  test('plan reports the policy and its assignment and changes nothing', async () => {
    const plan = await ensurePolicy({ planOnly: true, requireSecurityDevice: true });
    expect(plan.changed).toBe(true);
    expect(plan.result.changes).toEqual([`create settings-catalog policy '${POLICY}' (windows10, mdm) with ${PASSPORT_GROUP}: ${USE_PASSPORT}_true, ${CLOUD_TRUST}_true, ${SECURITY_DEVICE}_true`]);
    const assign = await ensureAssignment({ planOnly: true });
    expect(assign.result.changes).toEqual([expect.stringMatching(/assign policy .* \(to be created\) to group/)]);
    expect((await read()).tenant.configurationPolicies).toEqual([]);
    expect((await read()).mutations).toEqual({});
  });

  test('creates the group-collection policy, assigns it to the group only, and a second run changes nothing', async () => {
    write(estate({ configurationPolicies: [catalogPolicy('22222222-0000-4000-8000-000000000009', 'Other policy', [choice(CLOUD_TRUST, `${CLOUD_TRUST}_true`)], [GROUP_OTHER])] }));
    const created = await ensurePolicy({ requireSecurityDevice: true });
    expect(created.changed).toBe(true);
    expect(created.result.whfb).toEqual({ enabledBy: 'profile', enrollmentState: 'disabled' });
    expect(created.result.after?.settings).toEqual([
      { settingDefinitionId: USE_PASSPORT, value: `${USE_PASSPORT}_true` },
      { settingDefinitionId: CLOUD_TRUST, value: `${CLOUD_TRUST}_true` },
      { settingDefinitionId: SECURITY_DEVICE, value: `${SECURITY_DEVICE}_true` },
    ]);
    const stored = (await read()).tenant.configurationPolicies.find((p) => p.name === POLICY)!;
    expect(stored).toMatchObject({ platforms: 'windows10', technologies: 'mdm', templateFamily: 'none' });
    expect(stored.settings).toEqual([
      expect.objectContaining({ settingInstance: expect.objectContaining({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance', settingDefinitionId: PASSPORT_GROUP }) }),
    ]);

    const assigned = await ensureAssignment();
    expect(assigned.changed).toBe(true);
    expect(assigned.result.after).toMatchObject({ groupAssigned: true, assignments: [{ targetType: 'group', groupId: GROUP_PILOT }] });
    // The other policy's assignment is not touched.
    expect((await read()).tenant.configurationPolicies.find((p) => p.name === 'Other policy')!.assignments).toEqual([{ groupId: GROUP_OTHER }]);

    const mutations = (await read()).mutations;
    expect((await ensurePolicy({ requireSecurityDevice: true })).changed).toBe(false);
    expect((await ensureAssignment()).changed).toBe(false);
    expect((await read()).mutations).toEqual(mutations);

    const back = await runStep(pool, intuneCatalogReadStep, { ...graph, policyName: POLICY });
    expect(back.result.policy?.settings.map((s) => s.value)).toEqual([`${USE_PASSPORT}_true`, `${CLOUD_TRUST}_true`, `${SECURITY_DEVICE}_true`]);
    expect(back.result.assignments).toEqual([{ targetType: 'group', groupId: GROUP_PILOT }]);
  });

  test('wrong settings are replaced with PUT; the other assignments of the policy stay when the group is added', async () => {
    write(estate({ configurationPolicies: [catalogPolicy('22222222-0000-4000-8000-000000000001', POLICY, [choice(CLOUD_TRUST, `${CLOUD_TRUST}_false`), choice(SECURITY_DEVICE, `${SECURITY_DEVICE}_true`)], [GROUP_OTHER])] }));
    const plan = await ensurePolicy({ planOnly: true });
    expect(plan.result.changes).toEqual([`set ${USE_PASSPORT} = ${USE_PASSPORT}_true`, `set ${CLOUD_TRUST} = ${CLOUD_TRUST}_true`, `remove ${SECURITY_DEVICE} (was ${SECURITY_DEVICE}_true)`, `set the description of '${POLICY}'`]);
    const fixed = await ensurePolicy();
    expect(fixed.result.after?.id).toBe('22222222-0000-4000-8000-000000000001');
    expect(fixed.result.after?.settings).toEqual([
      { settingDefinitionId: USE_PASSPORT, value: `${USE_PASSPORT}_true` },
      { settingDefinitionId: CLOUD_TRUST, value: `${CLOUD_TRUST}_true` },
    ]);
    await ensureAssignment();
    expect((await read()).tenant.configurationPolicies[0].assignments).toEqual([{ groupId: GROUP_OTHER }, { groupId: GROUP_PILOT }]);
  });

  test('with the tenant-wide enrollment configuration enabled, the policy carries only cloud trust', async () => {
    write(estate({ helloForBusinessEnrollment: { state: 'enabled' } }));
    const created = await ensurePolicy();
    expect(created.result.whfb).toEqual({ enabledBy: 'enrollmentConfiguration', enrollmentState: 'enabled' });
    expect(created.result.after?.settings).toEqual([{ settingDefinitionId: CLOUD_TRUST, value: `${CLOUD_TRUST}_true` }]);
  });

  test('a policy of the same name from an Endpoint security template is refused', async () => {
    write(estate({ configurationPolicies: [{ ...catalogPolicy('22222222-0000-4000-8000-000000000002', POLICY, [choice(CLOUD_TRUST, `${CLOUD_TRUST}_true`)]), templateFamily: 'endpointSecurityAccountProtection' }] }));
    const failure = await bridgeFailure(ensurePolicy());
    expect(failure.message).toMatch(/endpointSecurityAccountProtection policy .* not a settings-catalog policy/);
  });

  test('Graph refuses an unknown settingDefinitionId and a choice value of another definition with 400', async () => {
    const unknown = await bridgeFailure(runStep(pool, wrongDefinition, { ...graph, name: POLICY }));
    expect(unknown.message).toMatch(/BadRequest \(Bad Request\)/);
    const foreign = await bridgeFailure(runStep(pool, wrongChoice, { ...graph, name: POLICY }));
    expect(foreign.message).toMatch(/BadRequest \(Bad Request\)/);
    expect((await read()).tenant.configurationPolicies).toEqual([]);
    // The same edits against an existing policy: the PUT is refused too, the policy keeps its settings.
    write(estate({ configurationPolicies: [catalogPolicy('22222222-0000-4000-8000-000000000005', POLICY, [choice(CLOUD_TRUST, `${CLOUD_TRUST}_false`)])] }));
    await bridgeFailure(runStep(pool, wrongDefinition, { ...graph, name: POLICY }));
    expect((await read()).tenant.configurationPolicies[0].settings).toEqual(catalogPolicy('x', POLICY, [choice(CLOUD_TRUST, `${CLOUD_TRUST}_false`)]).settings);
  });

  test('rollback removes only the group, then unassigns and deletes the policy', async () => {
    write(estate({ configurationPolicies: [catalogPolicy('22222222-0000-4000-8000-000000000003', POLICY, [choice(CLOUD_TRUST, `${CLOUD_TRUST}_true`)], [GROUP_PILOT, GROUP_OTHER])] }));
    const unassigned = await runStep(pool, intuneCatalogRollbackStep, { ...graph, policyName: POLICY, groupId: GROUP_PILOT });
    expect(unassigned.result.after?.assignments).toEqual([{ targetType: 'group', groupId: GROUP_OTHER }]);
    const plan = await runStep(pool, intuneCatalogRollbackStep, { ...graph, policyName: POLICY, deletePolicy: true, planOnly: true });
    expect(plan.result.changes).toEqual([expect.stringMatching(/^unassign policy .* from its 1 assignment/), expect.stringMatching(/^delete policy/)]);
    expect((await read()).tenant.configurationPolicies).toHaveLength(1);
    const removed = await runStep(pool, intuneCatalogRollbackStep, { ...graph, policyName: POLICY, deletePolicy: true });
    expect(removed.result.after).toBeNull();
    expect((await read()).tenant.configurationPolicies).toEqual([]);
    expect((await runStep(pool, intuneCatalogRollbackStep, { ...graph, policyName: POLICY, deletePolicy: true })).changed).toBe(false);
  });

  test('migration order: catalog policy assigned before the custom profile is unassigned and removed; never neither', async () => {
    write(estate({ deviceConfigurations: [customProfile('11111111-0000-4000-8000-000000000001', [GROUP_PILOT])] }));
    const applied = async () => {
      const tenant = (await read()).tenant;
      const custom = tenant.deviceConfigurations.some((c) => c.displayName === POLICY && c.assignments.some((a) => a.groupId === GROUP_PILOT));
      const catalog = tenant.configurationPolicies.some((p) => p.name === POLICY && p.assignments.some((a) => a.groupId === GROUP_PILOT));
      return { custom, catalog };
    };
    const policy = await ensurePolicy();
    expect(policy.warnings).toEqual([expect.stringMatching(/a device configuration profile is also named/)]);
    expect(await applied()).toEqual({ custom: true, catalog: false });
    await ensureAssignment();
    expect(await applied()).toEqual({ custom: true, catalog: true });
    await runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: POLICY, groupId: GROUP_PILOT });
    expect(await applied()).toEqual({ custom: false, catalog: true });
    await runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: POLICY, deleteProfile: true });
    expect((await read()).tenant.deviceConfigurations).toEqual([]);
    expect(await applied()).toEqual({ custom: false, catalog: true });
    // The custom profile's assignment step cannot find it any more; the catalog policy's is unchanged.
    await expect(runStep(pool, intuneEnsureAssignmentStep, { ...graph, profileDisplayName: POLICY, groupId: GROUP_PILOT })).rejects.toThrow(/no device configuration named/);
    expect((await ensureAssignment()).changed).toBe(false);
  });
});
