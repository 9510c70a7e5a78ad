import { randomUUID } from 'node:crypto';
import { startRollout } from '../../client/rollouts';
import { renderHtml, renderMarkdown } from '../../model/report-render';
import type { RolloutSpec } from '../../model/spec';
import { driftFrom } from '../../workflows/drift-check';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';

const TENANT_ID = '4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d';
const CLIENT_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const THUMBPRINT = '0123456789ABCDEF0123456789ABCDEF01234567';
const GROUP = '0c1a2b3c-0000-4000-8000-000000000001';
const TARGET = 'OU=Workstations,DC=corp,DC=contoso,DC=com';
const DEVICE = 'device_vendor_msft_passportforwork_{tenantid}';
const HKLM = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\PassportForWork';
const HKCU = 'HKCU\\SOFTWARE\\Policies\\Microsoft\\PassportForWork';

const choice = (id: string, option: string) => ({ '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance', settingDefinitionId: id, choiceSettingValue: { value: `${id}_${option}`, children: [] } });
const passportGroup = (children: object[]) => ({ settingInstance: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance', settingDefinitionId: DEVICE, groupSettingCollectionValue: [{ children }] } });
const dword = (key: string, valueName: string, value: number) => ({ key, valueName, type: 'DWord' as const, value });

function spec(change: (s: RolloutSpec) => void = () => undefined): RolloutSpec {
  const s = readLabDefaultSpec();
  s.name = `lab-${randomUUID().slice(0, 8)}`;
  change(s);
  return s;
}

describe('the policy picture in a plan: real scripts against a lab estate with the field failures', () => {
  let lab: LabWorker;

  beforeAll(async () => {
    lab = await startLabWorker({
      taskQueuePrefix: 'policy-sources',
      adjust: (estate) => {
        estate.tenant.applications.push({ appId: CLIENT_ID, displayName: 'cloudtrust automation', certificateThumbprints: [THUMBPRINT], roles: ['Organization.Read.All', 'Group.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All', 'DeviceManagementServiceConfig.Read.All'] });
        estate.managementHost.certificates.push({ thumbprint: THUMBPRINT, subject: 'CN=cloudtrust automation', store: 'CurrentUser\\My' });
        estate.tenant.groups.push({ id: GROUP, displayName: 'WHfB pilot devices', mailNickname: 'WHfB-pilot-devices', securityEnabled: true, members: [] });
        estate.tenant.deviceConfigurations.push({
          id: '11111111-0000-4000-8000-000000000001',
          displayName: 'Legacy WHfB OMA-URI',
          description: '',
          odataType: '#microsoft.graph.windows10CustomConfiguration',
          omaSettings: [{ displayName: 'cloud trust', omaUri: `./Device/Vendor/MSFT/PassportForWork/${TENANT_ID}/Policies/UseCloudTrustForOnPremAuth`, valueType: 'boolean', value: true }],
          assignments: [{ groupId: GROUP }],
        });
        estate.tenant.configurationPolicies.push(
          { id: '77777777-0000-4000-8000-000000000001', name: 'WHfB catalog', description: '', platforms: 'windows10', technologies: 'mdm', templateFamily: 'none', settings: [passportGroup([choice(`${DEVICE}_policies_usecloudtrustforonpremauth`, 'true')])], assignments: [{ groupId: GROUP }] },
          { id: '77777777-0000-4000-8000-000000000002', name: 'ES account protection', description: '', platforms: 'windows10', technologies: 'mdm', templateFamily: 'endpointSecurityAccountProtection', settings: [passportGroup([choice(`${DEVICE}_policies_usepassportforwork`, 'true'), choice(`${DEVICE}_policies_usecertificateforonpremauth`, 'true')])], assignments: [{ groupId: GROUP }] },
        );
        const corp = estate.forests.flatMap((f) => f.domains).find((d) => d.dnsName === 'corp.contoso.com')!;
        corp.gpos.push(
          { id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'WHfB user settings', status: 'AllSettingsEnabled', registryValues: [dword(HKCU, 'Enabled', 1), dword(HKCU, 'UseCloudTrustForOnPremAuth', 1)], links: [{ target: 'DC=corp,DC=contoso,DC=com', order: 1, enabled: true, enforced: false }], permissions: [] },
          { id: 'aaaaaaaa-0000-4000-8000-000000000002', displayName: 'Hello off', status: 'AllSettingsEnabled', registryValues: [dword(HKLM, 'Enabled', 0)], links: [{ target: TARGET, order: 1, enabled: true, enforced: false }], permissions: [] },
        );
      },
    });
  });
  afterAll(() => lab?.stop());

  test('every source per setting, with findings: certificate trust, user scope, both channels, WHfB off; the domain is not ready', async () => {
    const s = spec((x) => {
      x.tenant.graph = { clientId: CLIENT_ID, certificateThumbprint: THUMBPRINT };
    });
    const started = await startRollout(lab.context.env.client, s, 'plan', lab.taskQueue);
    const report = await started.report();
    const corp = report.domains.find((d) => d.domain === 'corp.contoso.com')!;
    const picture = corp.policySources!;
    expect(picture.read).toEqual({ gpo: { status: 'read' }, intune: { status: 'read' } });
    const row = (setting: string) => picture.settings.find((r) => r.setting === setting)!.entries.map((e) => `${e.source} ${e.scope}=${e.value}`);
    expect(row('UseCloudTrustForOnPremAuth')).toEqual([
      'GPO WHfB user settings user=1',
      'Intune custom profile Legacy WHfB OMA-URI device=true',
      `Intune settings-catalog policy WHfB catalog device=${DEVICE}_policies_usecloudtrustforonpremauth_true`,
    ]);
    expect(row('UseCertificateForOnPremAuth')).toEqual([`Intune account-protection policy ES account protection device=${DEVICE}_policies_usecertificateforonpremauth_true`]);
    expect(row('UsePassportForWork')).toEqual(['GPO WHfB user settings user=1', 'GPO Hello off device=0', `Intune account-protection policy ES account protection device=${DEVICE}_policies_usepassportforwork_true`, 'the tenant-wide WHfB enrollment configuration device=disabled']);
    expect(corp.findings.filter((f) => f.code.startsWith('policy-')).map((f) => `${f.severity} ${f.code}`)).toEqual([
      'warning policy-device-setting-in-user-scope',
      'blocker policy-whfb-disabled',
      'blocker policy-certificate-trust',
      'warning policy-both-channels',
    ]);
    expect(corp.status).toBe('not-ready');
    const md = renderMarkdown(report);
    expect(md).toContain('Policy sources:');
    expect(md).toContain('| UseCertificateForOnPremAuth | Intune account-protection policy ES account protection, device: ');
    expect(renderHtml(report)).toContain('<h4>Policy sources</h4>');
    const drift = driftFrom(report, 'x/plan');
    const corpDrift = drift.domains.find((d) => d.domain === 'corp.contoso.com')!;
    expect(corpDrift.changes).toEqual([expect.stringMatching(/^policy sources: GPO Hello off turns Windows Hello/), expect.stringMatching(/^policy sources: Intune account-protection policy ES account protection enables UseCertificateForOnPremAuth/)]);
    expect(corpDrift.policySources).toContain('UseCloudTrustForOnPremAuth: GPO WHfB user settings (user) = 1');
    expect(drift.verdict).toBe('drift');
  });

  test('an intune-channel domain without a Graph app: Intune is reported not read, the preflight does not fail', async () => {
    const s = spec((x) => {
      x.domains[0] = { name: 'corp.contoso.com', channel: 'intune', intune: { group: 'WHfB pilot devices', profile: 'cloudtrust profile', delivery: 'settings-catalog' }, sampleDevices: [] };
    });
    const started = await startRollout(lab.context.env.client, s, 'plan', lab.taskQueue);
    const report = await started.report();
    const corp = report.domains.find((d) => d.domain === 'corp.contoso.com')!;
    expect(corp.policySources!.read.intune).toEqual({ status: 'not-read', note: 'the spec names no Graph app (tenant.graph)' });
    expect(corp.policySources!.read.gpo).toEqual({ status: 'read' });
    // The GPOs still count: they reach the domain's computers, where Group Policy beats Intune.
    expect(corp.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['policy-channel-not-read', 'policy-both-channels', 'policy-whfb-disabled']));
    expect(corp.findings.find((f) => f.code === 'policy-both-channels')!.severity).toBe('blocker');
  });
});
