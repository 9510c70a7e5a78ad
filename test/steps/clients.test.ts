import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { BridgeError } from '../../activities/bridge/errors';
import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { createIntuneActivities } from '../../activities/intune';
import type { SecretStore } from '../../activities/secrets';
import { clientsSampleStep } from '../../activities/steps/intune';
import { EstateStore } from '../../lab/estate/store';
import { labPool } from '../transport/pool-fixture';

const TENANT_ID = '4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d';

const estate = {
  name: 'clients',
  tenant: { id: TENANT_ID, verifiedDomains: ['contoso.com'] },
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
  devices: [
    { name: 'PC-CLOUD', domain: 'corp.contoso.com', osBuild: '22631.4460', outcome: 'cloud-trust' },
    { name: 'PC-KEY', domain: 'corp.contoso.com', osBuild: '19045.5011', outcome: 'key-trust' },
    { name: 'PC-NEW', domain: 'corp.contoso.com', osBuild: '22631.4460', outcome: 'not-provisioned' },
    { name: 'PC-OLD', domain: 'corp.contoso.com', osBuild: '19044.1288', outcome: 'not-eligible' },
    { name: 'PC-WORKGROUP', domain: 'corp.contoso.com', osBuild: '26100.2605', outcome: 'not-eligible' },
    { name: 'PC-OFF', domain: 'corp.contoso.com', osBuild: '22631.4460', outcome: 'cloud-trust', reachable: false },
  ],
};

const noSecrets: SecretStore = {
  credential: async (ref) => {
    throw new Error(`no secret ${ref} in this test`);
  },
};

describe('clients.sample against the lab', () => {
  let dir: string;
  let file: string;
  let pool: PowerShellPool;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-clients-'));
    file = path.join(dir, 'estate.json');
    writeFileSync(file, JSON.stringify(estate));
    pool = labPool(1, { ...process.env, CLOUDTRUST_LAB_ESTATE: file });
    await pool.warm();
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('reads dsregcmd fields and registration events per device, in the order asked', async () => {
    const out = await runStep(pool, clientsSampleStep, { computerName: ['pc-cloud.corp.contoso.com', 'PC-KEY', 'PC-NEW'] });
    expect(out.changed).toBe(false);
    const [cloud, key, fresh] = out.result.devices;
    expect(cloud).toMatchObject({
      name: 'pc-cloud.corp.contoso.com',
      reachable: true,
      osBuild: '22631.4460',
      azureAdJoined: true,
      domainJoined: true,
      tenantId: TENANT_ID,
      ngcSet: true,
      onPremTgt: true,
      cloudTgt: true,
      azureAdPrt: true,
    });
    expect(cloud.events.map((e) => e.id)).toEqual([300, 358]);
    expect(cloud.events[1].message).toMatch(/Cloud trust for on premise auth policy is enabled: Yes/);
    expect(key).toMatchObject({ ngcSet: true, onPremTgt: false, certEnrollment: 'none' });
    expect(fresh).toMatchObject({ ngcSet: false, preReqResult: 'WillNotProvision' });
    expect(fresh.events.map((e) => e.id)).toEqual([360]);
  });

  test('an unreachable or unknown device is reported, not a failure', async () => {
    const out = await runStep(pool, clientsSampleStep, { computerName: ['PC-OFF', 'PC-GHOST', 'pc-off'] });
    expect(out.result.devices).toHaveLength(2);
    expect(out.result.devices[0]).toMatchObject({ name: 'PC-OFF', reachable: false, error: expect.stringMatching(/WinRM cannot complete the operation/), osBuild: null, events: [] });
    expect(out.result.devices[1]).toMatchObject({ name: 'PC-GHOST', reachable: false, error: expect.stringMatching(/Cannot find the computer PC-GHOST/) });
  });

  test('maxEvents caps the events read per device', async () => {
    const out = await runStep(pool, clientsSampleStep, { computerName: ['PC-CLOUD'], maxEvents: 1 });
    expect(out.result.devices[0].events.map((e) => e.id)).toEqual([300]);
  });

  test('a name that is not a host name is refused before anything is sent', async () => {
    const failure = await runStep(pool, clientsSampleStep, { computerName: ['PC-CLOUD; Remove-Item C:\\'] }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BridgeError);
    expect((failure as BridgeError).kind).toBe('InvalidInput');
  });

  test('the sampleClients activity assesses every device', async () => {
    const activities = createIntuneActivities({ pool, secrets: noSecrets });
    const out = (await new MockActivityEnvironment().run(() =>
      activities.sampleClients({ computerName: ['PC-CLOUD', 'PC-KEY', 'PC-NEW', 'PC-OLD', 'PC-WORKGROUP', 'PC-OFF'], tenantId: TENANT_ID }),
    )) as Awaited<ReturnType<typeof activities.sampleClients>>;
    expect(out.result.devices.map((d) => [d.name, d.assessment])).toEqual([
      ['PC-CLOUD', 'cloud-trust'],
      ['PC-KEY', 'key-trust'],
      ['PC-NEW', 'not-provisioned'],
      ['PC-OLD', 'not-eligible'],
      ['PC-WORKGROUP', 'not-eligible'],
      ['PC-OFF', 'unreachable'],
    ]);
    const byName = Object.fromEntries(out.result.devices.map((d) => [d.name, d.reasons.join(' | ')]));
    expect(byName['PC-KEY']).toMatch(/OnPremTgt NO and CertEnrollment none: provisioned with key trust by mistake/);
    expect(byName['PC-NEW']).toMatch(/no cloud TGT/);
    expect(byName['PC-OLD']).toMatch(/KB5010415 \(19044\.1566\)/);
    expect(byName['PC-WORKGROUP']).toMatch(/AzureAdJoined NO/);
    expect(byName['PC-OFF']).toMatch(/WinRM/);
    expect((await new EstateStore(file).read()).mutations).toEqual({});
  });
});
