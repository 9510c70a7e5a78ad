import { buildPolicyPicture, pictureLines, type GpoScanFacts, type IntuneScanFacts, type PictureInput } from '../../model/policy-conflicts';
import { policyHtml, policyMarkdown } from '../../model/policy-render';
import { escapeHtml, escapeMarkdownCell } from '../../model/report-render';
import type { RolloutReport } from '../../model/report-types';
import { planView } from '../../cli/render/plan-view';
import { driftView } from '../../cli/render/runbook-view';
import { createStyle } from '../../cli/style';

const TARGET = 'OU=Workstations,DC=corp,DC=contoso,DC=com';
const HKLM = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\PassportForWork';
const HKCU = 'HKCU\\SOFTWARE\\Policies\\Microsoft\\PassportForWork';
const DEVICE = 'device_vendor_msft_passportforwork_{tenantid}_policies';
const CSP = './Device/Vendor/MSFT/PassportForWork/4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d/Policies';
const GROUP = [{ targetType: 'group', groupId: 'g1' }];

type Gpo = GpoScanFacts['gpos'][number];
const value = (scope: 'Computer' | 'User', valueName: string, v: number | string, policyState = 'Set') => ({ scope, key: scope === 'Computer' ? HKLM : HKCU, valueName, type: 'DWord', value: v, policyState });
const gpo = (displayName: string, values: Gpo['values'], links: string[] = [TARGET], status = 'AllSettingsEnabled'): Gpo => ({ id: displayName.toLowerCase(), displayName, status, values, links: links.map((target) => ({ target, enabled: true })) });
const noIntune: IntuneScanFacts = { intuneUsable: true, profiles: [], catalogPolicies: [], enrollmentState: 'notConfigured' };

function picture(over: { gpos?: Gpo[]; intune?: Partial<IntuneScanFacts>; channel?: 'gpo' | 'intune'; input?: Partial<PictureInput> } = {}) {
  const channel = over.channel ?? 'gpo';
  return buildPolicyPicture({
    domain: 'corp.contoso.com',
    channel,
    targets: channel === 'gpo' ? [TARGET] : [],
    ours: { gpo: 'cloudtrust - WHfB', intune: ['cloudtrust - WHfB profile'] },
    gpo: { status: 'read', facts: { gpos: over.gpos ?? [] } },
    intune: { status: 'read', facts: { ...noIntune, ...over.intune } },
    ...over.input,
  });
}
const codes = (p: ReturnType<typeof picture>) => p.findings.map((f) => `${f.severity} ${f.code}${f.target ? ` ${f.target}` : ''}`);
const row = (p: ReturnType<typeof picture>, setting: string) => p.settings.find((s) => s.setting === setting)!.entries.map((e) => `${e.source} ${e.scope}=${e.value}`);

describe('policy picture', () => {
  test('a settings-catalog policy and a custom profile both set cloud trust: both are listed for the setting', () => {
    const p = picture({
      channel: 'intune',
      intune: {
        profiles: [{ id: 'p1', displayName: 'Legacy OMA-URI', odataType: '#microsoft.graph.windows10CustomConfiguration', settings: [{ omaUri: `${CSP}/UseCloudTrustForOnPremAuth`, value: true }], usePassportForWork: null, certificateTrustEnabled: false, assignments: GROUP, template: null }],
        catalogPolicies: [{ id: 'c1', name: 'WHfB catalog', templateFamily: 'none', settings: [{ settingDefinitionId: `${DEVICE}_usecloudtrustforonpremauth`, value: `${DEVICE}_usecloudtrustforonpremauth_true` }], assignments: GROUP }],
      },
    });
    expect(row(p, 'UseCloudTrustForOnPremAuth')).toEqual([
      'Intune custom profile Legacy OMA-URI device=true',
      `Intune settings-catalog policy WHfB catalog device=${DEVICE}_usecloudtrustforonpremauth_true`,
    ]);
    expect(p.findings).toEqual([]);
  });

  test('UseCertificateForOnPremAuth in an account-protection policy is a blocker', () => {
    const p = picture({
      channel: 'intune',
      intune: { catalogPolicies: [{ id: 'a1', name: 'ES account protection', templateFamily: 'endpointSecurityAccountProtection', settings: [{ settingDefinitionId: `${DEVICE}_usecertificateforonpremauth`, value: `${DEVICE}_usecertificateforonpremauth_true` }], assignments: GROUP }] },
    });
    expect(codes(p)).toEqual(['blocker policy-certificate-trust ES account protection']);
    expect(p.findings[0].message).toMatch(/Intune account-protection policy ES account protection enables UseCertificateForOnPremAuth in device scope \(assigned to 1 group; whether this domain's devices are members is not computed\): certificate trust takes precedence/);
  });

  test('UseCloudTrustForOnPremAuth in a user-scope GPO is flagged as a device setting in user scope', () => {
    const p = picture({ gpos: [gpo('User WHfB', [value('User', 'Enabled', 1), value('User', 'UseCloudTrustForOnPremAuth', 1)])] });
    expect(codes(p)).toEqual(['warning policy-device-setting-in-user-scope User WHfB']);
    expect(p.findings[0].message).toMatch(/#11440/);
    expect(row(p, 'UseCloudTrustForOnPremAuth')).toEqual(['GPO User WHfB user=1']);
  });

  test('a GPO user half that the GPO disables does not count', () => {
    const p = picture({ gpos: [gpo('User WHfB', [value('User', 'UseCloudTrustForOnPremAuth', 1)], [TARGET], 'UserSettingsDisabled')] });
    expect(p.sources).toEqual([]);
    expect(p.findings).toEqual([]);
  });

  test('a GPO and an Intune policy on the same devices: a blocker for the intune channel, a warning for the gpo channel', () => {
    const gpos = [gpo('Old WHfB', [value('Computer', 'Enabled', 1)], ['DC=corp,DC=contoso,DC=com'])];
    const intune = { catalogPolicies: [{ id: 'c1', name: 'WHfB catalog', templateFamily: 'none', settings: [{ settingDefinitionId: `${DEVICE}_usepassportforwork`, value: `${DEVICE}_usepassportforwork_true` }], assignments: [{ targetType: 'allDevices', groupId: null }] }] };
    const viaIntune = picture({ channel: 'intune', gpos, intune });
    expect(codes(viaIntune)).toEqual(['blocker policy-both-channels']);
    expect(viaIntune.findings[0].message).toMatch(/Old WHfB \(linked to the domain \(DC=corp,DC=contoso,DC=com\)\).*Group Policy wins and the Intune settings are ignored/);
    const viaGpo = picture({ channel: 'gpo', gpos, intune });
    expect(codes(viaGpo)).toEqual(['warning policy-both-channels']);
    expect(viaGpo.findings[0].message).toMatch(/WHfB catalog \(assigned to all devices\).*Group Policy wins and Intune is ignored; Intune group membership is not compared/);
    expect(viaGpo.sources.find((s) => s.name === 'Old WHfB')!.reachNote).toBe('linked to DC=corp,DC=contoso,DC=com (at or above the targets)');
  });

  test('WHfB disabled by a GPO over the targets is a blocker; the rollout\'s own GPO and a GPO elsewhere are not', () => {
    const p = picture({
      gpos: [
        gpo('No Hello', [value('Computer', 'Enabled', 0)]),
        gpo('cloudtrust - WHfB', [value('Computer', 'Enabled', 0)]),
        gpo('Kiosk no Hello', [value('Computer', 'Enabled', 0)], ['OU=Kiosks,DC=corp,DC=contoso,DC=com']),
      ],
    });
    expect(codes(p)).toEqual(['blocker policy-whfb-disabled No Hello']);
    expect(row(p, 'UsePassportForWork')).toEqual(['GPO No Hello device=0', 'GPO cloudtrust - WHfB device=0']);
    expect(p.sources.find((s) => s.name === 'Kiosk no Hello')).toMatchObject({ reach: 'none', reachNote: 'linked to OU=Kiosks,DC=corp,DC=contoso,DC=com, outside the targets' });
  });

  test('Intune turning WHfB off is only a warning where Group Policy is the channel; the template and enrollment state are sources', () => {
    const p = picture({
      intune: {
        profiles: [{ id: 't1', displayName: 'Kiosk template', odataType: '#microsoft.graph.windowsIdentityProtectionConfiguration', settings: [], usePassportForWork: false, certificateTrustEnabled: false, assignments: GROUP, template: { windowsHelloForBusinessBlocked: true, useCertificatesForOnPremisesAuthEnabled: false, securityDeviceRequired: true } }],
        enrollmentState: 'disabled',
      },
    });
    expect(codes(p)).toEqual(['warning policy-whfb-disabled Kiosk template', 'warning policy-both-channels']);
    expect(row(p, 'UsePassportForWork')).toEqual(['Intune identity-protection profile Kiosk template device=windowsHelloForBusinessBlocked', 'the tenant-wide WHfB enrollment configuration device=disabled']);
    expect(row(p, 'RequireSecurityDevice')).toEqual(['Intune identity-protection profile Kiosk template device=securityDeviceRequired']);
  });

  test('a GPO deleting a value sets it to nothing, and an unassigned Intune policy does not reach the devices', () => {
    const p = picture({
      gpos: [gpo('Cleanup', [value('Computer', 'UseCertificateForOnPremAuth', 1, 'Delete')])],
      intune: { catalogPolicies: [{ id: 'c1', name: 'Draft', templateFamily: 'none', settings: [{ settingDefinitionId: `${DEVICE}_usecertificateforonpremauth`, value: `${DEVICE}_usecertificateforonpremauth_true` }], assignments: [] }] },
    });
    expect(codes(p)).toEqual([]);
    expect(row(p, 'UseCertificateForOnPremAuth')).toEqual(['GPO Cleanup device=deleted']);
  });

  test('Intune not read (no Graph app) is said so, not failed', () => {
    const p = picture({ channel: 'intune', input: { intune: { status: 'not-read', note: 'the spec names no Graph app (tenant.graph)' } } });
    expect(p.read.intune).toEqual({ status: 'not-read', note: 'the spec names no Graph app (tenant.graph)' });
    expect(codes(p)).toEqual(['info policy-channel-not-read']);
    expect(p.findings[0].message).toBe('Intune was not read: the spec names no Graph app (tenant.graph); the policy picture lacks its sources');
  });

  test('results recorded before the catalog was read still give a picture', () => {
    const p = picture({ intune: { profiles: [{ id: 't1', displayName: 'Cert template', odataType: '#microsoft.graph.windowsIdentityProtectionConfiguration', settings: [], usePassportForWork: null, certificateTrustEnabled: true, assignments: GROUP }], catalogPolicies: undefined, enrollmentState: undefined } });
    expect(codes(p)).toEqual(['blocker policy-certificate-trust Cert template', 'warning policy-both-channels']);
  });

  test('lines for drift are stable, and the report section escapes what sources are named', () => {
    const p = picture({ gpos: [gpo('B | <b>', [value('Computer', 'Enabled', 1)]), gpo('A', [value('Computer', 'UseCloudTrustForOnPremAuth', 1)])] });
    expect(pictureLines(p)).toEqual(['UseCloudTrustForOnPremAuth: GPO A (device) = 1', 'UsePassportForWork: GPO B | <b> (device) = 1']);
    const md = policyMarkdown(p, escapeMarkdownCell).join('\n');
    expect(md).toContain('| UsePassportForWork | GPO B \\| &lt;b>, device: 1 |');
    expect(md).toContain('| UseCertificateForOnPremAuth | not set |');
    expect(policyHtml(p, escapeHtml)).toContain('<div>GPO B | &lt;b&gt;, device: 1</div>');
  });

  test('the CLI plan and drift views list the picture under the domain', () => {
    const p = picture({ gpos: [gpo('A', [value('Computer', 'UseCloudTrustForOnPremAuth', 1)])] });
    const report: RolloutReport = {
      name: 'x', tenant: 't', mode: 'plan', specDigest: 'd', state: 'completed', startedAt: 's', host: [], conflicts: [],
      rings: [{ name: 'pilot', status: 'completed', failures: 0, failureBudget: 0 }],
      domains: [{ domain: 'corp.contoso.com', ring: 'pilot', channel: 'gpo', taskQueue: 'q', status: 'planned', findings: [], steps: [], policySources: p }],
    };
    expect(planView(report, 'id', createStyle(false))).toContain('    policy UseCloudTrustForOnPremAuth: GPO A (device) = 1');
    const drift = driftView({ name: 'x', tenant: 't', checkedAt: 'c', planWorkflowId: 'p', verdict: 'in-sync', hostChanges: [], domains: [{ domain: 'corp.contoso.com', status: 'planned', changes: [], policySources: pictureLines(p) }] }, 'id', createStyle(false));
    expect(drift).toContain('    policy UseCloudTrustForOnPremAuth: GPO A (device) = 1');
  });
});
