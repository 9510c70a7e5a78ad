import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import {
  intuneEnsureAssignmentStep,
  intuneEnsureGroupStep,
  intuneEnsureProfileStep,
  intuneRollbackStep,
  intuneScanPassportStep,
  intuneTenantStep,
} from '../../activities/steps/intune';
import { EstateStore } from '../../lab/estate/store';
import { bridgeFailure } from '../support/bridge-failure';
import { labPool } from '../transport/pool-fixture';

const TENANT_ID = '4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d';
const GROUP_PILOT = '0c1a2b3c-0000-4000-8000-000000000001';
const GROUP_OTHER = '0c1a2b3c-0000-4000-8000-000000000002';
const GROUP_FINANCE = '0c1a2b3c-0000-4000-8000-000000000003';
const graph = { tenantId: TENANT_ID, clientId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', certificateThumbprint: '0123456789ABCDEF0123456789ABCDEF01234567' };
/** The app registration behind `graph` and its certificate in the worker account's store. */
const APP = { appId: graph.clientId, displayName: 'cloudtrust automation', certificateThumbprints: [graph.certificateThumbprint] };
const HOST_CERTIFICATE = { thumbprint: graph.certificateThumbprint, subject: 'CN=cloudtrust automation' };
const PASSPORT = `./Device/Vendor/MSFT/PassportForWork/${TENANT_ID}/Policies`;
const PROFILE = 'WHfB cloud Kerberos trust';
/** Intune's virtual group behind an all-devices target. */
const ALL_DEVICES = 'adadadad-808e-44e2-905a-0b7873a8a531';

type Json = Record<string, unknown>;

function estate(tenant: Json = {}, faults: Json[] = []): Json {
  return {
    name: 'intune-steps',
    tenant: {
      id: TENANT_ID,
      displayName: 'Contoso',
      verifiedDomains: ['contoso.com', 'contoso.onmicrosoft.com'],
      groups: [
        { id: GROUP_PILOT, displayName: 'WHfB pilot devices', mailNickname: 'WHfB-pilot-devices' },
        { id: GROUP_OTHER, displayName: 'Kiosks', mailNickname: 'Kiosks' },
        { id: GROUP_FINANCE, displayName: 'Finance devices', mailNickname: 'Finance-devices' },
      ],
      applications: [APP],
      ...tenant,
    },
    managementHost: { certificates: [HOST_CERTIFICATE] },
    forests: [
      {
        name: 'corp.contoso.com',
        sites: ['HQ'],
        domains: [
          {
            dnsName: 'corp.contoso.com',
            netBiosName: 'CORP',
            distinguishedName: 'DC=corp,DC=contoso,DC=com',
            controllers: [{ hostName: 'dc01.corp.contoso.com', site: 'HQ', operatingSystem: 'Windows Server 2022 Datacenter', currentBuild: 20348, ubr: 2849 }],
          },
        ],
      },
    ],
    faults,
  };
}

const bool = (omaUri: string, value: boolean, displayName = omaUri.split('/').pop()!) => ({ displayName, omaUri, valueType: 'boolean', value });

function customProfile(id: string, displayName: string, omaSettings: Json[], groupIds: string[] = []): Json {
  return { id, displayName, odataType: '#microsoft.graph.windows10CustomConfiguration', omaSettings, assignments: groupIds.map((groupId) => ({ groupId })) };
}

describe('intune steps against the lab', () => {
  let dir: string;
  let file: string;
  let pool: PowerShellPool;
  const write = (content: Json) => writeFileSync(file, JSON.stringify(content));
  const read = () => new EstateStore(file).read();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-intune-'));
    file = path.join(dir, 'estate.json');
    write(estate());
    pool = labPool(1, { ...process.env, CLOUDTRUST_LAB_ESTATE: file });
    await pool.warm();
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => write(estate()));

  describe('intune.read-tenant', () => {
    test('reads the tenant GUID and an active Intune plan', async () => {
      const out = await runStep(pool, intuneTenantStep, graph);
      expect(out.changed).toBe(false);
      expect(out.result).toEqual({
        tenantId: TENANT_ID,
        displayName: 'Contoso',
        verifiedDomains: ['contoso.com', 'contoso.onmicrosoft.com'],
        intune: { usable: true, plans: [{ servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', capabilityStatus: 'Enabled' }] },
      });
    });

    test('signing in with a verified domain name still yields the GUID', async () => {
      const out = await runStep(pool, intuneTenantStep, { ...graph, tenantId: 'contoso.com' });
      expect(out.result.tenantId).toBe(TENANT_ID);
    });

    test('a tenant without an Intune licence is reported unusable, with a warning', async () => {
      write(estate({ intuneLicensed: false }));
      const out = await runStep(pool, intuneTenantStep, graph);
      expect(out.result.intune).toEqual({ usable: false, plans: [] });
      expect(out.warnings).toEqual([expect.stringMatching(/No active Intune service plan/)]);
    });

    test('a tenant Entra does not know fails sign-in with AADSTS90002', async () => {
      const failure = await bridgeFailure(runStep(pool, intuneTenantStep, { ...graph, tenantId: 'fabrikam.com' }));
      expect(failure.message).toMatch(/ClientCertificateCredential authentication failed: AADSTS90002: Tenant 'fabrikam.com' not found/);
      expect(failure.errors[0]).toMatchObject({ exceptionType: 'Azure.Identity.AuthenticationFailedException', category: 'NotSpecified' });
      expect(failure.errors[0].fullyQualifiedErrorId).toMatch(/^Microsoft\.Graph\.PowerShell\.Authentication\.Cmdlets\.ConnectMgGraph/);
      // Connect-MgGraph writes the sign-in failure with category NotSpecified; the bridge knows the AADSTS code
      // for an unknown tenant and does not retry it.
      expect(failure.kind).toBe('AccessDenied');
    });

    test('a certificate that is not in the worker account\'s store fails before Entra is asked', async () => {
      const failure = await bridgeFailure(runStep(pool, intuneTenantStep, { ...graph, certificateThumbprint: 'A'.repeat(40) }));
      expect(failure.message).toMatch(/Certificate with thumbprint 'A{40}' was not found in certificate store or has expired\./);
      expect(failure.errors[0].exceptionType).toBe('System.ArgumentException');
    });

    test('a malformed thumbprint is refused before anything is sent', async () => {
      const failure = await bridgeFailure(runStep(pool, intuneTenantStep, { ...graph, certificateThumbprint: 'not-a-thumbprint' }));
      expect(failure.kind).toBe('InvalidInput');
    });
  });

  describe('intune.scan-passport', () => {
    test('finds WHfB profiles, their groups and UseCertificateForOnPremAuth conflicts', async () => {
      write(
        estate({
          deviceConfigurations: [
            customProfile('11111111-0000-4000-8000-000000000001', PROFILE, [bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, true)], [GROUP_PILOT]),
            customProfile('11111111-0000-4000-8000-000000000002', 'Legacy cert trust', [bool(`${PASSPORT}/UseCertificateForOnPremAuth`, true)], [GROUP_FINANCE]),
            customProfile('11111111-0000-4000-8000-000000000003', 'Defender', [{ displayName: 'x', omaUri: './Device/Vendor/MSFT/Policy/Config/Defender/AllowCloudProtection', valueType: 'integer', value: 1 }], [GROUP_OTHER]),
          ],
        }),
      );
      const out = await runStep(pool, intuneScanPassportStep, graph);
      expect(out.result.intuneUsable).toBe(true);
      expect(out.result.profiles.map((p) => [p.displayName, p.usesCloudTrust, p.certificateTrustEnabled])).toEqual([
        [PROFILE, true, false],
        ['Legacy cert trust', false, true],
      ]);
      expect(out.result.conflicts).toEqual([
        { profileId: '11111111-0000-4000-8000-000000000002', displayName: 'Legacy cert trust', omaUri: `${PASSPORT}/UseCertificateForOnPremAuth`, kind: 'certificateTrust', reason: expect.stringMatching(/certificate trust takes precedence/) },
      ]);
      expect(out.result.assignedGroupIds).toEqual([GROUP_PILOT, GROUP_FINANCE]);
      expect(out.result.assignedToAll).toBe(false);
    });

    test('a profile for all devices is reported as such; an exclusion is not a target group', async () => {
      write(
        estate({
          deviceConfigurations: [
            {
              ...customProfile('11111111-0000-4000-8000-000000000004', PROFILE, [bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, true)]),
              assignments: [{ groupId: ALL_DEVICES, kind: 'allDevices' }, { groupId: GROUP_FINANCE, kind: 'exclusionGroup' }],
            },
          ],
        }),
      );
      const out = await runStep(pool, intuneScanPassportStep, graph);
      expect(out.result.profiles[0].assignments).toEqual([
        { targetType: 'allDevices', groupId: null },
        { targetType: 'exclusionGroup', groupId: GROUP_FINANCE },
      ]);
      expect(out.result.assignedToAll).toBe(true);
      expect(out.result.assignedGroupIds).toEqual([]);
    });

    test('review row 19: identity-protection template profiles that enable certificate trust or block WHfB are conflicts', async () => {
      const template = (id: string, displayName: string, properties: Json, groupIds: string[]) => ({ id, displayName, odataType: '#microsoft.graph.windowsIdentityProtectionConfiguration', properties, assignments: groupIds.map((groupId) => ({ groupId })) });
      write(
        estate({
          deviceConfigurations: [
            template('66666666-0000-4000-8000-000000000001', 'WHfB template (cert trust)', { windowsHelloForBusinessBlocked: false, useCertificatesForOnPremisesAuthEnabled: true, pinMinimumLength: 6 }, [GROUP_FINANCE]),
            template('66666666-0000-4000-8000-000000000002', 'WHfB off for kiosks', { windowsHelloForBusinessBlocked: true, useCertificatesForOnPremisesAuthEnabled: false }, [GROUP_OTHER]),
            template('66666666-0000-4000-8000-000000000003', 'WHfB template (plain)', { windowsHelloForBusinessBlocked: false, useCertificatesForOnPremisesAuthEnabled: false }, [GROUP_PILOT]),
          ],
        }),
      );
      const out = await runStep(pool, intuneScanPassportStep, graph);
      expect(out.result.conflicts).toEqual([
        { profileId: '66666666-0000-4000-8000-000000000001', displayName: 'WHfB template (cert trust)', omaUri: 'useCertificatesForOnPremisesAuthEnabled', kind: 'certificateTrust', reason: expect.stringMatching(/certificate trust takes precedence/) },
        { profileId: '66666666-0000-4000-8000-000000000002', displayName: 'WHfB off for kiosks', omaUri: 'windowsHelloForBusinessBlocked', kind: 'whfbBlocked', reason: expect.stringMatching(/blocks Windows Hello for Business/) },
      ]);
      expect(out.result.profiles.map((p) => [p.displayName, p.certificateTrustEnabled, p.usePassportForWork])).toEqual([
        ['WHfB template (cert trust)', true, null],
        ['WHfB off for kiosks', false, false],
        ['WHfB template (plain)', false, null],
      ]);
      // Template profiles carry WHfB settings too: their groups count for the both-channels check.
      expect(out.result.assignedGroupIds).toEqual([GROUP_FINANCE, GROUP_OTHER, GROUP_PILOT]);
    });

    test('review row 19: a custom profile that sets UsePassportForWork false is a WHfB-blocked conflict', async () => {
      write(estate({ deviceConfigurations: [customProfile('11111111-0000-4000-8000-000000000005', 'No Hello', [bool(`${PASSPORT}/UsePassportForWork`, false)], [GROUP_OTHER])] }));
      const out = await runStep(pool, intuneScanPassportStep, graph);
      expect(out.result.conflicts).toEqual([{ profileId: '11111111-0000-4000-8000-000000000005', displayName: 'No Hello', omaUri: `${PASSPORT}/UsePassportForWork`, kind: 'whfbBlocked', reason: expect.stringMatching(/UsePassportForWork is false/) }]);
    });

    test('settings-catalog and account-protection policies are read in both scopes, beside a custom profile, with the enrollment state', async () => {
      const choice = (id: string, option: string) => ({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: id, choiceSettingValue: { value: `${id}_${option}`, children: [] } });
      const group = (root: string, children: Json[]) => ({ settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance', settingDefinitionId: root, groupSettingCollectionValue: [{ children }] } });
      const device = 'device_vendor_msft_passportforwork_{tenantid}';
      const user = 'user_vendor_msft_passportforwork_{tenantid}';
      const defender = { settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: 'device_vendor_msft_policy_config_defender_allowcloudprotection', choiceSettingValue: { value: 'device_vendor_msft_policy_config_defender_allowcloudprotection_1', children: [] } } };
      write(
        estate({
          helloForBusinessEnrollment: { state: 'disabled' },
          deviceConfigurations: [customProfile('11111111-0000-4000-8000-000000000001', PROFILE, [bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, true)], [GROUP_PILOT])],
          configurationPolicies: [
            { id: '77777777-0000-4000-8000-000000000001', name: 'WHfB catalog', settings: [group(device, [choice(`${device}_policies_usepassportforwork`, 'true'), choice(`${device}_policies_usecloudtrustforonpremauth`, 'true')])], assignments: [{ groupId: GROUP_PILOT }] },
            { id: '77777777-0000-4000-8000-000000000002', name: 'ES account protection', templateFamily: 'endpointSecurityAccountProtection', settings: [group(device, [choice(`${device}_policies_usepassportforwork`, 'true'), choice(`${device}_policies_usecertificateforonpremauth`, 'true')])], assignments: [{ groupId: GROUP_FINANCE }] },
            { id: '77777777-0000-4000-8000-000000000003', name: 'WHfB user', settings: [group(user, [choice(`${user}_policies_usepassportforwork`, 'false')])], assignments: [] },
            { id: '77777777-0000-4000-8000-000000000004', name: 'Defender', settings: [defender], assignments: [{ groupId: GROUP_OTHER }] },
          ],
        }),
      );
      const out = await runStep(pool, intuneScanPassportStep, graph);
      expect(out.result.catalogPolicies).toEqual([
        { id: '77777777-0000-4000-8000-000000000001', name: 'WHfB catalog', templateFamily: 'none', settings: [{ settingDefinitionId: `${device}_policies_usepassportforwork`, value: `${device}_policies_usepassportforwork_true` }, { settingDefinitionId: `${device}_policies_usecloudtrustforonpremauth`, value: `${device}_policies_usecloudtrustforonpremauth_true` }], assignments: [{ targetType: 'group', groupId: GROUP_PILOT }] },
        { id: '77777777-0000-4000-8000-000000000002', name: 'ES account protection', templateFamily: 'endpointSecurityAccountProtection', settings: [{ settingDefinitionId: `${device}_policies_usepassportforwork`, value: `${device}_policies_usepassportforwork_true` }, { settingDefinitionId: `${device}_policies_usecertificateforonpremauth`, value: `${device}_policies_usecertificateforonpremauth_true` }], assignments: [{ targetType: 'group', groupId: GROUP_FINANCE }] },
        { id: '77777777-0000-4000-8000-000000000003', name: 'WHfB user', templateFamily: 'none', settings: [{ settingDefinitionId: `${user}_policies_usepassportforwork`, value: `${user}_policies_usepassportforwork_false` }], assignments: [] },
      ]);
      expect(out.result.conflicts.map((c) => [c.displayName, c.kind, c.omaUri])).toEqual([
        ['ES account protection', 'certificateTrust', `${device}_policies_usecertificateforonpremauth`],
        ['WHfB user', 'whfbBlocked', `${user}_policies_usepassportforwork`],
      ]);
      expect(out.result.profiles.map((p) => p.displayName)).toEqual([PROFILE]);
      expect(out.result.assignedGroupIds).toEqual([GROUP_PILOT, GROUP_FINANCE]);
      expect(out.result.enrollmentState).toBe('disabled');
    });

    test('without an Intune licence there is nothing to scan: reported, not failed', async () => {
      write(estate({ intuneLicensed: false }));
      const out = await runStep(pool, intuneScanPassportStep, graph);
      expect(out.result).toEqual({ intuneUsable: false, profiles: [], conflicts: [], assignedGroupIds: [], assignedToAll: false, catalogPolicies: [], enrollmentState: 'unknown' });
      expect(out.warnings[0]).toMatch(/Request not applicable to target tenant/);
    });
  });

  describe('intune.ensure-group', () => {
    const name = "WHfB: O'Brien's (pilot) devices";

    test('creates a security group with a valid mailNickname, once', async () => {
      const first = await runStep(pool, intuneEnsureGroupStep, { ...graph, displayName: name });
      expect(first.changed).toBe(true);
      expect(first.result.before).toBeNull();
      expect(first.result.after).toMatchObject({ displayName: name, mailNickname: 'WHfB-O-Brien-s-pilot-devices', mailEnabled: false, securityEnabled: true });
      const second = await runStep(pool, intuneEnsureGroupStep, { ...graph, displayName: name });
      expect(second.changed).toBe(false);
      expect(second.result.after?.id).toBe(first.result.after?.id);
      const lab = await read();
      expect(lab.tenant.groups.filter((g) => g.displayName === name)).toHaveLength(1);
      expect(lab.mutations[`group:${TENANT_ID}:${name}`]).toBe(1);
    });

    test('a long or exotic name still gets a nickname of at most 64 allowed characters', async () => {
      const long = `Ωmega ${'Windows Hello for Business cloud trust devices '.repeat(3)}`.trim();
      const out = await runStep(pool, intuneEnsureGroupStep, { ...graph, displayName: long });
      const nickname = out.result.after!.mailNickname;
      expect(nickname.length).toBeLessThanOrEqual(64);
      expect(nickname).toMatch(/^[A-Za-z0-9_-]+$/);
    });

    test('finds an existing group case-insensitively and changes nothing', async () => {
      const out = await runStep(pool, intuneEnsureGroupStep, { ...graph, displayName: 'whfb PILOT devices' });
      expect(out.changed).toBe(false);
      expect(out.result.before).toEqual(out.result.after);
      expect(out.result.after?.id).toBe(GROUP_PILOT);
      expect((await read()).mutations).toEqual({});
    });

    test('plan mode lists the creation and changes nothing', async () => {
      const out = await runStep(pool, intuneEnsureGroupStep, { ...graph, displayName: name, planOnly: true });
      expect(out.changed).toBe(true);
      expect(out.result.planOnly).toBe(true);
      expect(out.result.changes).toEqual([`create security group '${name}' (mailNickname WHfB-O-Brien-s-pilot-devices)`]);
      expect(out.result.after).toBeNull();
      const lab = await read();
      expect(lab.tenant.groups).toHaveLength(3);
      expect(lab.mutations[`group:${TENANT_ID}:${name}`] ?? 0).toBe(0);
    });

    test('a name that matches two groups is an ambiguous, non-retryable error', async () => {
      write(
        estate({
          groups: [
            { id: GROUP_PILOT, displayName: 'WHfB devices', mailNickname: 'a' },
            { id: GROUP_OTHER, displayName: 'whfb devices', mailNickname: 'b' },
          ],
        }),
      );
      const failure = await bridgeFailure(runStep(pool, intuneEnsureGroupStep, { ...graph, displayName: 'WHfB devices' }));
      expect(failure.kind).toBe('InvalidInput');
      expect(failure.retryable).toBe(false);
      expect(failure.message).toMatch(/2 groups are named 'WHfB devices'/);
      expect(failure.errors[0].fullyQualifiedErrorId).toMatch(/^AmbiguousGroupName,/);
    });
  });

  describe('intune.ensure-profile', () => {
    const wanted = { ...graph, displayName: PROFILE, requireSecurityDevice: true, pinMinimumLength: 6, pinMaximumLength: 32, pinSpecialCharacters: 1 };

    test('creates the custom profile with exactly the desired settings, once', async () => {
      const first = await runStep(pool, intuneEnsureProfileStep, wanted);
      expect(first.changed).toBe(true);
      const after = first.result.after!;
      expect(after.odataType).toBe('#microsoft.graph.windows10CustomConfiguration');
      expect(after.omaSettings.map((s) => [s.omaUri, s.valueType, s.value])).toEqual([
        [`${PASSPORT}/UsePassportForWork`, 'boolean', true],
        [`${PASSPORT}/UseCloudTrustForOnPremAuth`, 'boolean', true],
        [`${PASSPORT}/RequireSecurityDevice`, 'boolean', true],
        [`${PASSPORT}/PINComplexity/MinimumPINLength`, 'integer', 6],
        [`${PASSPORT}/PINComplexity/MaximumPINLength`, 'integer', 32],
        [`${PASSPORT}/PINComplexity/SpecialCharacters`, 'integer', 1],
      ]);
      expect(after.omaSettings.some((s) => /[{}]/.test(s.omaUri) || /UseCertificateForOnPremAuth/.test(s.omaUri))).toBe(false);

      const second = await runStep(pool, intuneEnsureProfileStep, wanted);
      expect(second.changed).toBe(false);
      expect(second.result.changes).toEqual([]);
      const lab = await read();
      expect(lab.tenant.deviceConfigurations).toHaveLength(1);
      expect(lab.mutations[`profile:${TENANT_ID}:${PROFILE}`]).toBe(1);
    });

    test('plan mode lists the creation and changes nothing', async () => {
      const out = await runStep(pool, intuneEnsureProfileStep, { ...wanted, planOnly: true });
      expect(out.changed).toBe(true);
      expect(out.result.changes).toEqual([expect.stringMatching(new RegExp(`^create custom profile '${PROFILE}' with 6 OMA-URI setting\\(s\\)`))]);
      expect(out.result.after).toBeNull();
      const lab = await read();
      expect(lab.tenant.deviceConfigurations).toHaveLength(0);
      expect(lab.mutations).toEqual({});
    });

    test('an existing profile is brought to exactly the desired settings; its assignments stay', async () => {
      write(
        estate({
          deviceConfigurations: [
            {
              ...customProfile(
                '22222222-0000-4000-8000-000000000001',
                PROFILE,
                [bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, false), bool(`${PASSPORT}/UseCertificateForOnPremAuth`, true)],
                [GROUP_PILOT, GROUP_OTHER],
              ),
              description: 'Windows Hello for Business cloud Kerberos trust',
            },
          ],
        }),
      );
      const out = await runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE });
      expect(out.result.changes).toEqual([
        `set ${PASSPORT}/UsePassportForWork = true (boolean)`,
        `set ${PASSPORT}/UseCloudTrustForOnPremAuth = true (boolean)`,
        `remove ${PASSPORT}/UseCertificateForOnPremAuth (was true)`,
      ]);
      expect(out.result.after?.omaSettings).toEqual([
        { displayName: 'UsePassportForWork', omaUri: `${PASSPORT}/UsePassportForWork`, valueType: 'boolean', value: true },
        { displayName: 'UseCloudTrustForOnPremAuth', omaUri: `${PASSPORT}/UseCloudTrustForOnPremAuth`, valueType: 'boolean', value: true },
      ]);
      const lab = await read();
      expect(lab.tenant.deviceConfigurations[0].assignments).toEqual([{ groupId: GROUP_PILOT }, { groupId: GROUP_OTHER }]);
      expect(lab.mutations[`profile:${TENANT_ID}:${PROFILE}`]).toBe(1);
      expect((await runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE })).changed).toBe(false);
    });

    test('review row 1: with the tenant-wide WHfB enrollment configuration disabled, the profile enables WHfB itself', async () => {
      // The lab's tenant-wide configuration is 'disabled' unless the estate says otherwise, as Microsoft says it usually is.
      const out = await runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE });
      expect(out.result.after?.omaSettings).toContainEqual({ displayName: 'UsePassportForWork', omaUri: `${PASSPORT}/UsePassportForWork`, valueType: 'boolean', value: true });
      expect(out.result.whfb).toEqual({ enabledBy: 'profile', enrollmentState: 'disabled' });
    });

    test('review row 1: an existing profile without UsePassportForWork gets it on re-run, once', async () => {
      write(estate({ deviceConfigurations: [{ ...customProfile('22222222-0000-4000-8000-000000000002', PROFILE, [bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, true)], [GROUP_PILOT]), description: 'Windows Hello for Business cloud Kerberos trust' }] }));
      const out = await runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE });
      expect(out.result.changes).toEqual([`set ${PASSPORT}/UsePassportForWork = true (boolean)`]);
      const again = await runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE });
      expect(again.changed).toBe(false);
      const lab = await read();
      expect(lab.tenant.deviceConfigurations[0].omaSettings.map((s) => s.omaUri)).toEqual([`${PASSPORT}/UsePassportForWork`, `${PASSPORT}/UseCloudTrustForOnPremAuth`]);
      expect(lab.mutations[`profile:${TENANT_ID}:${PROFILE}`]).toBe(1);
    });

    test('review row 1: with the enrollment configuration enabled the profile need not set UsePassportForWork, and says why', async () => {
      write(estate({ helloForBusinessEnrollment: { state: 'enabled' } }));
      const out = await runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE });
      expect(out.result.after?.omaSettings.map((s) => s.omaUri)).toEqual([`${PASSPORT}/UseCloudTrustForOnPremAuth`]);
      expect(out.result.whfb).toEqual({ enabledBy: 'enrollmentConfiguration', enrollmentState: 'enabled' });
      expect((await runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE })).changed).toBe(false);
    });

    test('review row 1: with the enrollment configuration enabled, a profile that sets UsePassportForWork false is corrected, not left off', async () => {
      write(estate({ helloForBusinessEnrollment: { state: 'enabled' }, deviceConfigurations: [customProfile('22222222-0000-4000-8000-000000000003', PROFILE, [bool(`${PASSPORT}/UsePassportForWork`, false), bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, true)])] }));
      const out = await runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE, description: '' });
      expect(out.result.changes).toEqual([`set ${PASSPORT}/UsePassportForWork = true (boolean)`]);
      expect(out.result.whfb.enabledBy).toBe('profile');
    });

    test('an app that may not read the enrollment configuration still gets a profile that enables WHfB, with a warning', async () => {
      const forbidden = { command: 'Invoke-MgGraphRequest', mode: 'permanent', message: 'Response status code does not indicate success: Forbidden (Forbidden).', exceptionType: 'Microsoft.Graph.PowerShell.Authentication.Helpers.HttpResponseException' };
      write(estate({ helloForBusinessEnrollment: { state: 'enabled' } }, [forbidden]));
      const out = await runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE });
      expect(out.result.whfb).toEqual({ enabledBy: 'profile', enrollmentState: 'unknown' });
      expect(out.result.after?.omaSettings.map((s) => s.omaUri)).toContain(`${PASSPORT}/UsePassportForWork`);
      expect(out.warnings).toEqual([expect.stringMatching(/403 Forbidden; grant DeviceManagementServiceConfig\.Read\.All/)]);
    });

    test('a tenant without an Intune licence fails with Graph\'s answer, not retryable', async () => {
      write(estate({ intuneLicensed: false }));
      const failure = await bridgeFailure(runStep(pool, intuneEnsureProfileStep, wanted));
      expect(failure.kind).toBe('Unsupported');
      expect(failure.retryable).toBe(false);
      expect(failure.message).toMatch(/Request not applicable to target tenant\..*active Intune licence/);
      expect((await read()).mutations).toEqual({});
    });

    test('Graph throttling is retryable and carries the requested delay; the retry succeeds', async () => {
      write(estate({}, [{ command: 'New-MgDeviceManagementDeviceConfiguration', mode: 'throttle', remaining: 1, retryAfterSeconds: 7 }]));
      const failure = await bridgeFailure(runStep(pool, intuneEnsureProfileStep, wanted));
      expect(failure.kind).toBe('Throttled');
      expect(failure.retryable).toBe(true);
      expect(failure.retryAfterMs).toBe(7_000);
      expect((await read()).tenant.deviceConfigurations).toHaveLength(0);
      const retry = await runStep(pool, intuneEnsureProfileStep, wanted);
      expect(retry.changed).toBe(true);
      expect((await read()).mutations[`profile:${TENANT_ID}:${PROFILE}`]).toBe(1);
    });

    test('a profile of another type under the name is refused', async () => {
      write(estate({ deviceConfigurations: [{ id: '22222222-0000-4000-8000-000000000009', displayName: PROFILE, odataType: '#microsoft.graph.windows10GeneralConfiguration' }] }));
      const failure = await bridgeFailure(runStep(pool, intuneEnsureProfileStep, wanted));
      expect(failure.kind).toBe('InvalidInput');
      expect(failure.message).toMatch(/not a custom OMA-URI profile/);
    });

    test('a minimum PIN length above the maximum is refused before anything is sent', async () => {
      const failure = await bridgeFailure(runStep(pool, intuneEnsureProfileStep, { ...graph, displayName: PROFILE, pinMinimumLength: 12, pinMaximumLength: 8 }));
      expect(failure.kind).toBe('InvalidInput');
      expect(failure.message).toMatch(/pinMinimumLength must not exceed pinMaximumLength/);
    });
  });

  describe('intune.ensure-assignment', () => {
    const profileId = '33333333-0000-4000-8000-000000000001';
    const withProfile = (groupIds: string[]) => estate({ deviceConfigurations: [customProfile(profileId, PROFILE, [bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, true)], groupIds)] });

    test('adds the group and keeps every other assignment, once', async () => {
      write(withProfile([GROUP_OTHER]));
      const first = await runStep(pool, intuneEnsureAssignmentStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT });
      expect(first.changed).toBe(true);
      expect(first.result.changes).toEqual([`assign profile '${PROFILE}' to group ${GROUP_PILOT} (WHfB pilot devices), keeping its 1 other assignment(s)`]);
      expect(first.result.after?.assignments).toEqual([
        { targetType: 'group', groupId: GROUP_OTHER },
        { targetType: 'group', groupId: GROUP_PILOT },
      ]);
      expect(first.result.after?.groupAssigned).toBe(true);
      const second = await runStep(pool, intuneEnsureAssignmentStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT.toUpperCase() });
      expect(second.changed).toBe(false);
      const lab = await read();
      expect(lab.tenant.deviceConfigurations[0].assignments).toEqual([{ groupId: GROUP_OTHER }, { groupId: GROUP_PILOT }]);
      expect(lab.mutations[`assignment:${TENANT_ID}:${PROFILE}:${GROUP_PILOT}`]).toBe(1);
    });

    test('all-devices and exclusion targets are posted back unchanged, since /assign replaces the set', async () => {
      write(
        estate({
          deviceConfigurations: [
            {
              ...customProfile(profileId, PROFILE, [bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, true)]),
              assignments: [{ groupId: ALL_DEVICES, kind: 'allDevices' }, { groupId: GROUP_PILOT, kind: 'exclusionGroup' }],
            },
          ],
        }),
      );
      const out = await runStep(pool, intuneEnsureAssignmentStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT });
      expect(out.warnings).toEqual([expect.stringMatching(/is also excluded from profile .*the exclusion wins/)]);
      expect(out.result.after?.assignments).toEqual([
        { targetType: 'allDevices', groupId: null },
        { targetType: 'exclusionGroup', groupId: GROUP_PILOT },
        { targetType: 'group', groupId: GROUP_PILOT },
      ]);
      const lab = await read();
      expect(lab.tenant.deviceConfigurations[0].assignments).toEqual([{ groupId: ALL_DEVICES, kind: 'allDevices' }, { groupId: GROUP_PILOT, kind: 'exclusionGroup' }, { groupId: GROUP_PILOT }]);
      expect(lab.mutations).toEqual({ [`assignment:${TENANT_ID}:${PROFILE}:${GROUP_PILOT}`]: 1 });
    });

    test('plan mode lists the assignment and changes nothing', async () => {
      write(withProfile([GROUP_OTHER]));
      const out = await runStep(pool, intuneEnsureAssignmentStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT, planOnly: true });
      expect(out.changed).toBe(true);
      expect(out.result.after?.groupAssigned).toBe(false);
      const lab = await read();
      expect(lab.tenant.deviceConfigurations[0].assignments).toEqual([{ groupId: GROUP_OTHER }]);
      expect(lab.mutations).toEqual({});
    });

    test('a throttled /assign is retryable with its Retry-After; nothing changed until the retry', async () => {
      write({ ...withProfile([GROUP_OTHER]), faults: [{ command: 'Invoke-MgGraphRequest', mode: 'throttle', remaining: 1, retryAfterSeconds: 3 }] });
      const failure = await bridgeFailure(runStep(pool, intuneEnsureAssignmentStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT }));
      expect(failure.kind).toBe('Throttled');
      expect(failure.retryAfterMs).toBe(3_000);
      expect((await read()).tenant.deviceConfigurations[0].assignments).toEqual([{ groupId: GROUP_OTHER }]);
      expect((await runStep(pool, intuneEnsureAssignmentStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT })).changed).toBe(true);
      expect((await read()).mutations[`assignment:${TENANT_ID}:${PROFILE}:${GROUP_PILOT}`]).toBe(1);
    });

    test('a profile that does not exist yet is NotFound, not retryable', async () => {
      const failure = await bridgeFailure(runStep(pool, intuneEnsureAssignmentStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT }));
      expect(failure.kind).toBe('NotFound');
      expect(failure.retryable).toBe(false);
    });

    test('a group that does not exist is NotFound', async () => {
      write(withProfile([]));
      const failure = await bridgeFailure(runStep(pool, intuneEnsureAssignmentStep, { ...graph, profileDisplayName: PROFILE, groupId: '0c1a2b3c-0000-4000-8000-0000000000ff' }));
      expect(failure.kind).toBe('NotFound');
      expect(failure.message).toMatch(/does not exist in the tenant/);
    });
  });

  describe('national clouds', () => {
    const profileId = '77777777-0000-4000-8000-000000000001';
    const usGov = { ...graph, environment: 'USGov' as const };

    test('review row 22: in a USGov tenant every step signs in to USGov and its Graph requests follow it', async () => {
      write(estate({ environment: 'USGov', deviceConfigurations: [customProfile(profileId, PROFILE, [bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, true)], [GROUP_OTHER])] }));
      expect((await runStep(pool, intuneTenantStep, usGov)).result.tenantId).toBe(TENANT_ID);
      expect((await runStep(pool, intuneEnsureProfileStep, { ...usGov, displayName: PROFILE })).result.whfb.enabledBy).toBe('profile');
      // /assign is the one raw request: a relative URI goes to graph.microsoft.us, where the token is valid.
      const assigned = await runStep(pool, intuneEnsureAssignmentStep, { ...usGov, profileDisplayName: PROFILE, groupId: GROUP_PILOT });
      expect(assigned.result.after?.groupAssigned).toBe(true);
      const rolledBack = await runStep(pool, intuneRollbackStep, { ...usGov, profileDisplayName: PROFILE, groupId: GROUP_PILOT });
      expect(rolledBack.result.after?.groupAssigned).toBe(false);
      expect((await runStep(pool, intuneScanPassportStep, usGov)).result.profiles).toHaveLength(1);
      expect((await read()).tenant.deviceConfigurations[0].assignments).toEqual([{ groupId: GROUP_OTHER }]);
    });

    test('a USGov tenant is not found by a Global sign-in', async () => {
      write(estate({ environment: 'USGov' }));
      const failure = await bridgeFailure(runStep(pool, intuneTenantStep, graph));
      expect(failure.message).toMatch(/AADSTS90002: Tenant '.*' not found/);
    });
  });

  describe('the Graph certificate', () => {
    test('review row 20 (not a defect on Graph SDK 2.x): a certificate only in LocalMachine\\My signs in with -CertificateThumbprint', async () => {
      // Connect-MgGraph looks in CurrentUser\My, then LocalMachine\My (AuthenticationHelpers.GetCertificate, since
      // msgraph-sdk-powershell PR #1387, 2022); the README says where the certificate may be.
      write({ ...estate(), managementHost: { certificates: [{ ...HOST_CERTIFICATE, store: 'LocalMachine\\My' }] } });
      expect((await runStep(pool, intuneTenantStep, graph)).result.tenantId).toBe(TENANT_ID);
      write({ ...estate(), managementHost: { certificates: [] } });
      const failure = await bridgeFailure(runStep(pool, intuneTenantStep, graph));
      expect(failure.message).toMatch(/Certificate with thumbprint '0123456789ABCDEF0123456789ABCDEF01234567' was not found in certificate store or has expired\./);
    });
  });

  describe('intune.rollback-profile', () => {
    const profileId = '44444444-0000-4000-8000-000000000001';
    const withProfile = (groupIds: string[]) => estate({ deviceConfigurations: [customProfile(profileId, PROFILE, [bool(`${PASSPORT}/UseCloudTrustForOnPremAuth`, true)], groupIds)] });

    test("removes only the group's assignment, once", async () => {
      write(withProfile([GROUP_OTHER, GROUP_PILOT, GROUP_FINANCE]));
      const first = await runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT });
      expect(first.changed).toBe(true);
      expect(first.result.changes).toEqual([`remove the assignment of group ${GROUP_PILOT} from profile '${PROFILE}', keeping its 2 other assignment(s)`]);
      expect(first.result.after?.assignments.map((a) => a.groupId)).toEqual([GROUP_OTHER, GROUP_FINANCE]);
      expect((await runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT })).changed).toBe(false);
      const lab = await read();
      expect(lab.tenant.deviceConfigurations[0].assignments).toEqual([{ groupId: GROUP_OTHER }, { groupId: GROUP_FINANCE }]);
      expect(lab.mutations[`assignment:${TENANT_ID}:${PROFILE}:${GROUP_PILOT}`]).toBe(1);
    });

    test('plan mode lists the removal and changes nothing', async () => {
      write(withProfile([GROUP_PILOT]));
      const out = await runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT, planOnly: true });
      expect(out.changed).toBe(true);
      expect(out.result.changes).toHaveLength(1);
      const lab = await read();
      expect(lab.tenant.deviceConfigurations[0].assignments).toEqual([{ groupId: GROUP_PILOT }]);
      expect(lab.mutations).toEqual({});
    });

    test('deletes the profile only when asked, once', async () => {
      write(withProfile([GROUP_PILOT, GROUP_OTHER]));
      const plan = await runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: PROFILE, deleteProfile: true, planOnly: true });
      expect(plan.result.changes).toEqual([`delete profile '${PROFILE}' (${profileId}) with its 2 assignment(s)`]);
      expect((await read()).tenant.deviceConfigurations).toHaveLength(1);
      const out = await runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: PROFILE, deleteProfile: true });
      expect(out.changed).toBe(true);
      expect(out.result.after).toBeNull();
      const again = await runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: PROFILE, deleteProfile: true });
      expect(again.changed).toBe(false);
      expect(again.result.before).toBeNull();
      const lab = await read();
      expect(lab.tenant.deviceConfigurations).toHaveLength(0);
      expect(lab.mutations[`profile:${TENANT_ID}:${PROFILE}`]).toBe(1);
    });

    test('without deleteProfile a group is required', async () => {
      const failure = await bridgeFailure(runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: PROFILE }));
      expect(failure.kind).toBe('InvalidInput');
    });

    test('a tenant without an Intune licence fails, not retryable', async () => {
      write(estate({ intuneLicensed: false }));
      const failure = await bridgeFailure(runStep(pool, intuneRollbackStep, { ...graph, profileDisplayName: PROFILE, groupId: GROUP_PILOT }));
      expect(failure.kind).toBe('Unsupported');
      expect(failure.retryable).toBe(false);
    });
  });
});
