import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './run-cli';

const ROOT = path.join(__dirname, '..', '..');
const SPEC = path.join(ROOT, 'specs', 'lab-default.yaml');
const work = mkdtempSync(path.join(tmpdir(), 'cloudtrust-clients-import-'));

const line = (device: string, onPremTgt: string, tenantId: string) =>
  JSON.stringify({
    cloudtrust: 'whfb-user-state/1',
    device,
    user: 'CORP\\anna',
    collectedAt: '2026-11-30T08:00:00Z',
    osBuild: '22631.4460',
    dsregcmd: { 'Device State.AzureAdJoined': 'YES', 'Tenant Details.TenantId': tenantId, 'User State.NgcSet': 'YES', 'SSO State.OnPremTgt': onPremTgt, 'Ngc Prerequisite Check.CertEnrollment': 'none' },
    events: [],
    error: null,
  });

describe('cloudtrust clients import', () => {
  test("prints a verdict per device with its reasons, in the spec's tenant, and exits 1 when one is not on cloud Kerberos trust", async () => {
    const tenant = /id:\s*([0-9a-f-]{36})/.exec(readFileSync(SPEC, 'utf8'))![1];
    const file = path.join(work, 'out.jsonl');
    writeFileSync(file, [line('PC-1', 'YES', tenant), line('PC-2', 'NO', tenant), line('PC-3', 'YES', '00000000-0000-0000-0000-000000000001'), 'garbage'].join('\n'));
    const result = await runCli(['clients', 'import', file, '--spec', SPEC]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✓ PC-1: cloud-kerberos-trust (signed-in user CORP\\anna)');
    expect(result.stdout).toMatch(/✗ PC-2: key-trust-fallback[\s\S]*OnPremTgt NO and CertEnrollment none/);
    expect(result.stdout).toMatch(/✗ PC-3: not-eligible[\s\S]*not to the rollout's tenant/);
    expect(result.stderr).toContain('line 4: not JSON');

    const json = JSON.parse((await runCli(['clients', 'import', file, '--tenant', tenant, '--json'])).stdout);
    expect(json.devices.map((d: { name: string; assessment: string }) => [d.name, d.assessment])).toEqual([['PC-1', 'cloud-kerberos-trust'], ['PC-2', 'key-trust-fallback'], ['PC-3', 'not-eligible']]);
  });

  test('a file without any output is invalid input (3)', async () => {
    const file = path.join(work, 'empty.csv');
    writeFileSync(file, 'Device name,UPN\nPC-1,x\n');
    const result = await runCli(['clients', 'import', file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no whfb-user-state\/1 output found/);
  });
});
