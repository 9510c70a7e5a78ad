import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { assessClient } from '../../model/client-assessment';
import { parseCsv, parseRemediationOutput } from '../../model/remediation-output';

const TENANT = '4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d';

/** One output line as Get-WhfbUserState.ps1 writes it (ConvertTo-Json -Compress). */
function output(device: string, overrides: Record<string, unknown> = {}, dsregcmd: Record<string, string> = {}, events: unknown[] = []): string {
  return JSON.stringify({
    cloudtrust: 'whfb-user-state/1',
    device,
    user: 'CORP\\anna',
    collectedAt: '2026-11-30T08:00:00.0000000Z',
    osBuild: '22631.4460',
    dsregcmd: {
      'Device State.AzureAdJoined': 'YES',
      'Device State.DomainJoined': 'YES',
      'Tenant Details.TenantId': TENANT,
      'User State.NgcSet': 'YES',
      'SSO State.AzureAdPrt': 'YES',
      'SSO State.OnPremTgt': 'YES',
      'SSO State.CloudTgt': 'YES',
      ...dsregcmd,
    },
    events,
    error: null,
    ...overrides,
  });
}

// A German device: the script keeps EventData only; the names are language-neutral.
const germanKeyTrust = [
  { id: 358, timeCreated: '2026-11-29T08:00:00.0000000Z', data: { DeviceIsJoined: 'Yes', LogonCertRequired: 'No', CloudTrustPolicyEnabled: 'No', CloudTgtPresent: 'Not Tested', MachinePolicySource: 'none' } },
  { id: 300, timeCreated: '2026-11-29T08:01:00.0000000Z', data: { UPN: 'anna@corp.contoso.com' } },
];

describe('the Intune remediation output', () => {
  test('lines of JSON become one assessed device each, in the signed-in user context', () => {
    const text = [
      output('PC-CLOUD'),
      output('PC-KEY', {}, { 'SSO State.OnPremTgt': 'NO', 'Ngc Prerequisite Check.CertEnrollment': 'none' }, germanKeyTrust),
      output('PC-CERT', {}, { 'SSO State.OnPremTgt': 'NO', 'Ngc Prerequisite Check.CertEnrollment': 'enrollment authority' }),
      output('PC-NOBODY', { user: null, dsregcmd: {} }),
    ].join('\r\n');
    const imported = parseRemediationOutput(text);
    expect(imported.problems).toEqual([]);
    const verdicts = imported.devices.map((d) => [d.name, assessClient(d, { tenantId: TENANT }).assessment]);
    expect(verdicts).toEqual([
      ['PC-CLOUD', 'cloud-kerberos-trust'],
      ['PC-KEY', 'key-trust-fallback'],
      ['PC-CERT', 'certificate-trust'],
      ['PC-NOBODY', 'not-eligible'],
    ]);
    expect(assessClient(imported.devices[0]).describes).toBe('signed-in user CORP\\anna');
    expect(imported.devices[1].events.map((e) => [e.id, e.message])).toEqual([[358, ''], [300, '']]);
  });

  test('the German device without its container is judged from its EventData: the policy was off at provisioning', () => {
    const [device] = parseRemediationOutput(output('PC-DE', {}, { 'User State.NgcSet': 'NO', 'SSO State.OnPremTgt': 'NO' }, germanKeyTrust)).devices;
    const verdict = assessClient(device, { tenantId: TENANT });
    expect(verdict.assessment).toBe('not-provisioned');
    expect(assessClient({ ...device, ngcSet: true }).reasons.join(' ')).toMatch(/OnPremTgt NO/);
  });

  test('the device-status CSV export: the output is found in its quoted column, the newest per device wins', () => {
    const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
    const csv = [
      'Device name,UPN,Detection status,Pre-remediation detection output',
      `PC-1,anna@corp.contoso.com,Without issues,${quote(output('PC-1', { collectedAt: '2026-11-01T00:00:00Z' }, { 'SSO State.OnPremTgt': 'NO' }))}`,
      `PC-1,anna@corp.contoso.com,Without issues,${quote(output('PC-1', { collectedAt: '2026-11-30T00:00:00Z' }))}`,
      'PC-2,bob@corp.contoso.com,Failed,',
    ].join('\r\n');
    const imported = parseRemediationOutput(csv);
    expect(imported.devices.map((d) => [d.name, d.onPremTgt])).toEqual([['PC-1', true]]);
    expect(imported.problems).toEqual([]);
    expect(parseCsv('a,"b,""c""\nd",e\r\nf')).toEqual([['a', 'b,"c"\nd', 'e'], ['f']]);
  });

  test('what is not an output is listed, not guessed', () => {
    const imported = parseRemediationOutput(`${output('PC-1')}\n{"cloudtrust":"whfb-user-state/1","device":"PC-2"}\n{not json`);
    expect(imported.devices.map((d) => d.name)).toEqual(['PC-1']);
    expect(imported.problems).toEqual([expect.stringMatching(/^line 2: not a whfb-user-state\/1 output \(.*collectedAt/), 'line 3: not JSON']);
    expect(parseRemediationOutput('Device name,UPN\nPC-1,x').problems).toEqual([expect.stringMatching(/no whfb-user-state\/1 output found/)]);
  });

  test('the real detection script writes one line of at most 2,048 characters that the parser reads (here without Windows: its error is reported)', () => {
    const pwsh = process.env.CLOUDTRUST_TEST_PWSH;
    if (!pwsh) throw new Error('CLOUDTRUST_TEST_PWSH is not set: run through jest, whose globalSetup provisions PowerShell 7');
    const script = path.join(__dirname, '..', '..', 'powershell', 'clients', 'Get-WhfbUserState.ps1');
    const stdout = execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', script], { env: { ...process.env, COMPUTERNAME: 'PC-LINUX', USERDOMAIN: 'CORP', USERNAME: 'anna' }, encoding: 'utf8' });
    const lines = stdout.split(/\r?\n/).filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0].length).toBeLessThanOrEqual(2048);
    const imported = parseRemediationOutput(stdout);
    expect(imported.problems).toEqual([]);
    expect(imported.devices[0]).toMatchObject({ name: 'PC-LINUX', signedInUser: 'CORP\\anna', error: expect.stringMatching(/HKLM/) });
    expect(assessClient(imported.devices[0]).assessment).toBe('unreachable');
  });
});
