import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { powershellDir } from '../../activities/bridge/paths';
import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { allSteps } from '../../activities/steps';
import { defineStep } from '../../activities/steps/contract';
import { intuneScanPassportStep, intuneTenantStep } from '../../activities/steps/intune';
import { bridgeFailure } from '../support/bridge-failure';
import { labPool } from '../transport/pool-fixture';

/**
 * The Microsoft Graph commands of the lab behave as the SDK's: exactly the documented parameters and members, the
 * sign-in kept per PowerShell process, and the SDK's errors. Each case runs a real script (or a copy of one with a
 * single edit) through the lab.
 */

const TENANT_ID = '4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d';
const PROFILE_ID = '55555555-0000-4000-8000-000000000001';
const GROUP_ID = '0c1a2b3c-0000-4000-8000-000000000001';
const graph = { tenantId: TENANT_ID, clientId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', certificateThumbprint: '0123456789ABCDEF0123456789ABCDEF01234567' };
const scripts = mkdtempSync(path.join(tmpdir(), 'cloudtrust-graph-scripts-'));

type Json = Record<string, unknown>;

function estate(tenant: Json = {}, managementHost: Json = { certificates: [{ thumbprint: graph.certificateThumbprint }] }): Json {
  return {
    name: 'graph-lab',
    tenant: {
      id: TENANT_ID,
      displayName: 'Contoso',
      verifiedDomains: ['contoso.com'],
      groups: [{ id: GROUP_ID, displayName: 'WHfB pilot devices', mailNickname: 'WHfB-pilot-devices', members: ['WS-CORP-001'] }],
      applications: [{ appId: graph.clientId, displayName: 'cloudtrust automation', certificateThumbprints: [graph.certificateThumbprint] }],
      deviceConfigurations: [
        {
          id: PROFILE_ID,
          displayName: 'WHfB cloud Kerberos trust',
          odataType: '#microsoft.graph.windows10CustomConfiguration',
          omaSettings: [{ displayName: 'UseCloudTrustForOnPremAuth', omaUri: `./Device/Vendor/MSFT/PassportForWork/${TENANT_ID}/Policies/UseCloudTrustForOnPremAuth`, valueType: 'boolean', value: true }],
          assignments: [{ groupId: GROUP_ID }],
        },
      ],
      ...tenant,
    },
    managementHost,
    forests: [{ name: 'corp.contoso.com', sites: ['HQ'], domains: [{ dnsName: 'corp.contoso.com', netBiosName: 'CORP', distinguishedName: 'DC=corp,DC=contoso,DC=com', controllers: [] }] }],
  };
}

/** A copy of a reviewed script with one edit, as a step of its own. */
function editedStep(id: string, original: string, from: string, to: string, input: z.ZodType) {
  const text = readFileSync(path.join(powershellDir(), original), 'utf8');
  if (!text.includes(from)) throw new Error(`${original} no longer contains ${from}`);
  const file = path.join(scripts, `${id}.ps1`);
  writeFileSync(file, text.replace(from, to));
  return { step: defineStep({ id, script: path.relative(powershellDir(), file), description: id, input, output: z.unknown(), timeoutMs: 60_000 }), file, line: text.slice(0, text.indexOf(from)).split('\n').length };
}

/** A small script of this test, as a step. */
function testStep(id: string, body: string, input: z.ZodType = z.object({}).passthrough()) {
  const file = path.join(scripts, `${id}.ps1`);
  writeFileSync(file, `[CmdletBinding()]\nparam([string]$TenantId, [string]$ClientId, [string]$CertificateThumbprint, [string]$Action, [string]$Body)\nSet-StrictMode -Version 2.0\n$ErrorActionPreference = 'Stop'\n${body}\n`);
  return defineStep({ id, script: path.relative(powershellDir(), file), description: id, input, output: z.unknown(), timeoutMs: 60_000 });
}

const wrongParameter = editedStep('test.graph-wrong-parameter', 'intune/read-tenant.ps1', "Get-MgOrganization -Property 'id'", "Get-MgOrganization -Properties 'id'", intuneTenantStep.input);
const missingMember = editedStep('test.graph-missing-member', 'intune/scan-passport.ps1', '$extra = $Configuration.AdditionalProperties', '$extra = $Configuration.OmaSettings', intuneScanPassportStep.input);

const session = testStep(
  'test.graph-session',
  `switch ($Action) {
    'connect' { Connect-MgGraph -ClientId $ClientId -TenantId $TenantId -CertificateThumbprint $CertificateThumbprint -NoWelcome | Out-Null }
    'groups' { $null = @(Get-MgGroup -All -ErrorAction Stop) }
    'disconnect' { Disconnect-MgGraph | Out-Null }
}
$context = Get-MgContext
$result = $null
if ($null -ne $context) { $result = [ordered]@{ tenantId = $context.TenantId; clientId = $context.ClientId; authType = $context.AuthType; credential = $context.TokenCredentialType; scopes = [object[]]$context.Scopes } }
@{ Changed = $false; Result = $result }`,
);

const shapes = testStep(
  'test.graph-shapes',
  `Connect-MgGraph -ClientId $ClientId -TenantId $TenantId -CertificateThumbprint $CertificateThumbprint -NoWelcome | Out-Null
try {
    $configuration = @(Get-MgDeviceManagementDeviceConfiguration -All)[0]
    $setting = @($configuration.AdditionalProperties['omaSettings'])[0]
    $assignment = @(Get-MgDeviceManagementDeviceConfigurationAssignment -DeviceConfigurationId $configuration.Id -All)[0]
    $response = Invoke-MgGraphRequest -Method GET -Uri ('v1.0/groups?$filter=' + [uri]::EscapeDataString("displayName eq 'whfb pilot devices'"))
    $group = @(Get-MgGroup -Filter "displayName eq 'WHfB pilot devices'" -Property 'id', 'displayName')[0]
    @{ Changed = $false; Result = [ordered]@{
        configurationType = $configuration.PSObject.TypeNames[0]
        additionalProperties = $configuration.AdditionalProperties.GetType().FullName
        odataType = $configuration.AdditionalProperties['@odata.type']
        settingType = $setting.GetType().FullName
        settingValue = $setting['value']
        keysAreCaseSensitive = -not $configuration.AdditionalProperties.ContainsKey('OmaSettings')
        assignmentId = $assignment.Id
        targetType = $assignment.Target.AdditionalProperties['@odata.type']
        responseType = $response.GetType().FullName
        responseContext = $response['@odata.context']
        responseGroup = $response['value'][0]['displayName']
        groupMailNickname = $group.MailNickname
    } }
}
finally {
    Disconnect-MgGraph | Out-Null
}`,
);

const invoke = testStep(
  'test.graph-invoke',
  `Connect-MgGraph -ClientId $ClientId -TenantId $TenantId -CertificateThumbprint $CertificateThumbprint -NoWelcome | Out-Null
try {
    $answer = Invoke-MgGraphRequest -Method POST -Uri ('https://graph.microsoft.com/v1.0/deviceManagement/deviceConfigurations/${PROFILE_ID}/assign') -Body $Body -ContentType 'application/json'
    @{ Changed = $true; Result = [ordered]@{ count = @($answer['value']).Count; context = $answer['@odata.context'] } }
}
finally {
    Disconnect-MgGraph | Out-Null
}`,
);

const crossCloud = testStep(
  'test.graph-cross-cloud',
  `Connect-MgGraph -ClientId $ClientId -TenantId $TenantId -CertificateThumbprint $CertificateThumbprint -Environment $Action -NoWelcome | Out-Null
try {
    $answer = Invoke-MgGraphRequest -Method GET -Uri $Body
    @{ Changed = $false; Result = [ordered]@{ context = $answer['@odata.context'] } }
}
finally {
    Disconnect-MgGraph | Out-Null
}`,
);

const catalogAndMembers = testStep(
  'test.graph-catalog-members',
  `Connect-MgGraph -ClientId $ClientId -TenantId $TenantId -CertificateThumbprint $CertificateThumbprint -NoWelcome | Out-Null
try {
    $hello = @(Get-MgDeviceManagementDeviceEnrollmentConfiguration -All | Where-Object -FilterScript { $_.AdditionalProperties['@odata.type'] -eq '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration' })
    $setting = @{
        '@odata.type'   = '#microsoft.graph.deviceManagementConfigurationSetting'
        settingInstance = @{
            '@odata.type'               = '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance'
            settingDefinitionId         = 'device_vendor_msft_passportforwork_{tenantid}'
            groupSettingCollectionValue = @(@{ children = @(@{
                            '@odata.type'       = '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance'
                            settingDefinitionId = 'device_vendor_msft_passportforwork_{tenantid}_policies_usecloudtrustforonpremauth'
                            choiceSettingValue  = @{ value = 'device_vendor_msft_passportforwork_{tenantid}_policies_usecloudtrustforonpremauth_true'; children = @() }
                        }) })
        }
    }
    $policy = New-MgBetaDeviceManagementConfigurationPolicy -Name 'WHfB cloud trust (catalog)' -Platforms 'windows10' -Technologies 'mdm' -Settings @($setting)
    $null = Invoke-MgGraphRequest -Method POST -Uri ('beta/deviceManagement/configurationPolicies/{0}/assign' -f $policy.Id) -Body (@{ assignments = @(@{ target = @{ '@odata.type' = '#microsoft.graph.groupAssignmentTarget'; groupId = '${GROUP_ID}' } }) } | ConvertTo-Json -Depth 5)
    $listed = @(Get-MgBetaDeviceManagementConfigurationPolicy -All)
    $expanded = Get-MgBetaDeviceManagementConfigurationPolicy -DeviceManagementConfigurationPolicyId $policy.Id -ExpandProperty 'settings'
    $assignment = @(Get-MgBetaDeviceManagementConfigurationPolicyAssignment -DeviceManagementConfigurationPolicyId $policy.Id -All)[0]
    $device = @(Get-MgGroupMember -GroupId '${GROUP_ID}' -All)[0]
    @{ Changed = $true; Result = [ordered]@{
        helloState = $hello[0].AdditionalProperties['state']
        helloId = $hello[0].Id
        policies = $listed.Count
        listedSettingsAbsent = $null -eq $listed[0].Settings
        expandedSettings = @($expanded.Settings).Count
        settingCount = $listed[0].SettingCount
        assignedGroup = $assignment.Target.AdditionalProperties['groupId']
        filterType = $assignment.Target.DeviceAndAppManagementAssignmentFilterType
        memberType = $device.AdditionalProperties['@odata.type']
        memberName = $device.AdditionalProperties['displayName']
    } }
}
finally {
    Disconnect-MgGraph | Out-Null
}`,
);

describe('Microsoft Graph commands in the lab', () => {
  let dir: string;
  let file: string;
  let pool: PowerShellPool;
  const write = (content: Json) => writeFileSync(file, JSON.stringify(content));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-graph-lab-'));
    file = path.join(dir, 'estate.json');
    write(estate());
    const env = { ...process.env, CLOUDTRUST_LAB_ESTATE: file };
    pool = labPool(1, env, [...allSteps, wrongParameter.step, missingMember.step, session, shapes, invoke, crossCloud, catalogAndMembers]);
    await pool.warm();
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(scripts, { recursive: true, force: true });
  });
  beforeEach(() => write(estate()));

  test('a parameter the command does not have is refused by the command itself', async () => {
    const failure = await bridgeFailure(runStep(pool, wrongParameter.step, graph));
    expect(failure.kind).toBe('InvalidInput');
    expect(failure.message).toMatch(/A parameter cannot be found that matches parameter name 'Properties'/);
    expect(failure.errors[0]).toMatchObject({ exceptionType: 'System.Management.Automation.ParameterBindingException', category: 'InvalidArgument' });
    expect(failure.errors[0].fullyQualifiedErrorId).toMatch(/^NamedParameterNotFound,/);
    // The envelope names no command; the stack's line is the Get-MgOrganization call.
    expect(failure.errors[0].scriptStackTrace).toContain(`${wrongParameter.file}: line ${wrongParameter.line}`);
    expect(readFileSync(wrongParameter.file, 'utf8').split('\n')[wrongParameter.line - 1]).toContain('Get-MgOrganization -Properties');
  });

  test('a member the SDK model does not have is an error under strict mode (derived data is in AdditionalProperties)', async () => {
    const failure = await bridgeFailure(runStep(pool, missingMember.step, graph));
    expect(failure.message).toMatch(/The property 'OmaSettings' cannot be found on this object/);
    expect(failure.errors[0]).toMatchObject({ exceptionType: 'System.Management.Automation.PropertyNotFoundException', fullyQualifiedErrorId: 'PropertyNotFoundStrict,Get-OmaSettingList' });
    expect(failure.errors[0].scriptStackTrace).toContain(`${missingMember.file}: line ${missingMember.line}`);
  });

  test('the Graph sign-in belongs to the PowerShell process, from Connect-MgGraph to Disconnect-MgGraph', async () => {
    const before = await bridgeFailure(runStep(pool, session, { ...graph, action: 'groups' }));
    expect(before.message).toMatch(/Authentication needed\. Please call Connect-MgGraph\./);
    expect(before.errors[0]).toMatchObject({ exceptionType: 'Microsoft.Graph.PowerShell.AuthenticationException', category: 'NotSpecified' });

    const connected = await runStep(pool, session, { ...graph, action: 'connect' });
    expect(connected.result).toEqual({
      tenantId: TENANT_ID,
      clientId: graph.clientId,
      authType: 'AppOnly',
      credential: 'ClientCertificate',
      scopes: ['Organization.Read.All', 'Group.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All'],
    });
    expect((await runStep(pool, session, { ...graph, action: 'groups' })).result).toMatchObject({ tenantId: TENANT_ID });
    expect((await runStep(pool, session, { ...graph, action: 'disconnect' })).result).toBeNull();
    const again = await bridgeFailure(runStep(pool, session, { ...graph, action: 'disconnect' }));
    expect(again.message).toMatch(/No application to sign out from\./);
  });

  test('objects have the SDK shapes: derived data in a Dictionary, Invoke-MgGraphRequest answers a Hashtable', async () => {
    const out = await runStep(pool, shapes, graph);
    expect(out.result).toEqual({
      configurationType: 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphDeviceConfiguration',
      additionalProperties: expect.stringMatching(/^System\.Collections\.Generic\.Dictionary`2\[\[System\.String/),
      odataType: '#microsoft.graph.windows10CustomConfiguration',
      settingType: expect.stringMatching(/^System\.Collections\.Generic\.Dictionary`2/),
      settingValue: true,
      keysAreCaseSensitive: true,
      assignmentId: `${PROFILE_ID}_${GROUP_ID}`,
      targetType: '#microsoft.graph.groupAssignmentTarget',
      responseType: 'System.Collections.Hashtable',
      responseContext: 'https://graph.microsoft.com/v1.0/$metadata#groups',
      responseGroup: 'WHfB pilot devices',
      groupMailNickname: null,
    });
  });

  test('a certificate in the machine store is found; an expired one is not', async () => {
    write(estate({}, { certificates: [{ thumbprint: graph.certificateThumbprint, store: 'LocalMachine\\My' }] }));
    expect((await runStep(pool, intuneTenantStep, graph)).result.tenantId).toBe(TENANT_ID);
    write(estate({}, { certificates: [{ thumbprint: graph.certificateThumbprint, notAfter: '2020-01-01T00:00:00Z' }] }));
    const failure = await bridgeFailure(runStep(pool, intuneTenantStep, graph));
    expect(failure.message).toMatch(/was not found in certificate store or has expired/);
  });

  test('review row 22: a relative URI follows the connected cloud; an absolute Global URI from a USGov sign-in is refused (401)', async () => {
    write(estate({ environment: 'USGov' }));
    const relative = await runStep(pool, crossCloud, { ...graph, action: 'USGov', body: 'v1.0/organization' });
    expect(relative.result).toEqual({ context: 'https://graph.microsoft.us/v1.0/$metadata#organization' });
    const failure = await bridgeFailure(runStep(pool, crossCloud, { ...graph, action: 'USGov', body: 'https://graph.microsoft.com/v1.0/organization' }));
    expect(failure.message).toMatch(/Response status code does not indicate success: Unauthorized \(Unauthorized\)\./);
  });

  test('a certificate the app registration does not know is refused by Entra (AADSTS700027)', async () => {
    write(estate({ applications: [{ appId: graph.clientId, displayName: 'cloudtrust automation', certificateThumbprints: ['B'.repeat(40)] }] }));
    const failure = await bridgeFailure(runStep(pool, intuneTenantStep, graph));
    expect(failure.message).toMatch(/AADSTS700027: Client assertion contains an invalid signature/);
  });

  test('an app without the Intune permission gets Intune\'s 403', async () => {
    write(estate({ applications: [{ appId: graph.clientId, displayName: 'cloudtrust automation', certificateThumbprints: [graph.certificateThumbprint], roles: ['Organization.Read.All'] }] }));
    const failure = await bridgeFailure(runStep(pool, intuneScanPassportStep, graph));
    expect(failure.message).toMatch(/^intune\.scan-passport: \[Forbidden\] : \{/);
    expect(failure.message).toMatch(/Application must have one of the following scopes: DeviceManagementConfiguration\.Read\.All, DeviceManagementConfiguration\.ReadWrite\.All/);
    expect(failure.errors[0].fullyQualifiedErrorId).toBe('Forbidden,Get-MgDeviceManagementDeviceConfiguration');
  });

  test('Invoke-MgGraphRequest /assign replaces the set and answers the new one; a bad target is an HttpResponseException', async () => {
    const body = JSON.stringify({ assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }] });
    const out = await runStep(pool, invoke, { ...graph, body });
    expect(out.result).toEqual({ count: 1, context: 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.deviceConfigurationAssignment)' });
    const lab = JSON.parse(readFileSync(file, 'utf8'));
    expect(lab.tenant.deviceConfigurations[0].assignments).toEqual([{ groupId: 'adadadad-808e-44e2-905a-0b7873a8a531', kind: 'allDevices' }]);
    expect(lab.mutations).toEqual({ [`assignment:${TENANT_ID}:WHfB cloud Kerberos trust:${GROUP_ID}`]: 1, [`assignment:${TENANT_ID}:WHfB cloud Kerberos trust:adadadad-808e-44e2-905a-0b7873a8a531`]: 1 });

    const failure = await bridgeFailure(runStep(pool, invoke, { ...graph, body: JSON.stringify({ assignments: [{ target: { groupId: GROUP_ID } }] }) }));
    expect(failure.message).toMatch(/Response status code does not indicate success: BadRequest \(Bad Request\)\./);
    expect(failure.errors[0]).toMatchObject({
      exceptionType: 'Microsoft.Graph.PowerShell.Authentication.Helpers.HttpResponseException',
      fullyQualifiedErrorId: 'InvokeGraphHttpResponseException,Invoke-MgGraphRequest',
      category: 'InvalidOperation',
    });
  });

  test('settings-catalog policies, the tenant-wide WHfB enrollment configuration and group members', async () => {
    const out = await runStep(pool, catalogAndMembers, graph);
    expect(out.result).toEqual({
      helloState: 'disabled',
      helloId: `${TENANT_ID}_DefaultWindowsHelloForBusiness`,
      policies: 1,
      listedSettingsAbsent: true,
      expandedSettings: 1,
      settingCount: 1,
      assignedGroup: GROUP_ID,
      filterType: 'none',
      memberType: '#microsoft.graph.device',
      memberName: 'WS-CORP-001',
    });
    const lab = JSON.parse(readFileSync(file, 'utf8'));
    expect(lab.tenant.configurationPolicies[0]).toMatchObject({ name: 'WHfB cloud trust (catalog)', assignments: [{ groupId: GROUP_ID }] });
  });
});
