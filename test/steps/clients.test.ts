import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { BridgeError } from '../../activities/bridge/errors';
import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { createIntuneActivities } from '../../activities/intune';
import type { SecretStore } from '../../activities/secrets';
import { clientsSampleStep } from '../../activities/steps/intune';
import { EstateStore } from '../../lab/estate/store';
import { assessClient } from '../../model/client-assessment';
import { bridgeFailure } from '../support/bridge-failure';
import { editedStep } from '../support/edited-script';
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
    { name: 'PC-CERT', domain: 'corp.contoso.com', osBuild: '22631.4460', outcome: 'certificate-trust', signedInUser: 'CORP\\anna' },
    { name: 'PC-NOBODY', domain: 'corp.contoso.com', osBuild: '22631.4460', outcome: 'cloud-trust', signedInUser: null },
    { name: 'PC-FAIL', domain: 'corp.contoso.com', osBuild: '22631.4460', outcome: 'cloud-trust', dsregcmdExitCode: -2147024891 },
  ],
};

const noSecrets: SecretStore = {
  credential: async (ref) => {
    throw new Error(`no secret ${ref} in this test`);
  },
};

describe('clients.read-devices against the lab', () => {
  let dir: string;
  let file: string;
  let pool: PowerShellPool;
  let wrongPrincipal: typeof clientsSampleStep;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-clients-'));
    file = path.join(dir, 'estate.json');
    writeFileSync(file, JSON.stringify(estate));
    // LogonType Interactive is right; InteractiveToken is the task XML's name for it, not a value the cmdlet accepts.
    wrongPrincipal = editedStep(dir, 'test.clients-wrong-logon-type', clientsSampleStep, '-LogonType Interactive ', '-LogonType InteractiveToken ');
    pool = labPool(1, { ...process.env, CLOUDTRUST_LAB_ESTATE: file }, [clientsSampleStep, wrongPrincipal]);
    await pool.warm();
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("reads dsregcmd in the signed-in user's session and registration events per device, in the order asked", async () => {
    const out = await runStep(pool, clientsSampleStep, { computerName: ['pc-cloud.corp.contoso.com', 'PC-KEY', 'PC-NEW'] });
    expect(out.changed).toBe(false);
    const [cloud, key, fresh] = out.result.devices;
    expect(cloud).toMatchObject({
      name: 'pc-cloud.corp.contoso.com',
      collectedAs: 'signed-in-user',
      signedInUser: 'CORP\\user',
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
    const state = await new EstateStore(file).read();
    // One one-shot task per device, removed again; nothing counts as a change of the estate.
    expect(state.devices.filter((d) => ['PC-CLOUD', 'PC-KEY', 'PC-NEW'].includes(d.name)).map((d) => d.tasksRegistered)).toEqual([1, 1, 1]);
    expect(state.devices.flatMap((d) => d.scheduledTasks)).toEqual([]);
    expect(state.mutations).toEqual({});
  });

  test("over remoting, dsregcmd's user fields are the remoting account's: no container, no PRT, a remote session", async () => {
    const out = await runStep(pool, clientsSampleStep, { computerName: ['PC-CLOUD'], collect: 'remoting' });
    expect(out.result.devices[0]).toMatchObject({ collectedAs: 'remoting-account', signedInUser: null, ngcSet: false, azureAdPrt: false, onPremTgt: false, preReqResult: 'WillNotProvision' });
    const verdict = assessClient(out.result.devices[0], { tenantId: TENANT_ID });
    expect(verdict).toMatchObject({ assessment: 'cloud-kerberos-trust', describes: "remoting account (not the device's user)" });
    expect(verdict.reasons.join(' | ')).toMatch(/describe the remoting account, not the device's user/);
  });

  test('nobody signed in: no task is registered and the device is not eligible, saying why', async () => {
    const out = await runStep(pool, clientsSampleStep, { computerName: ['PC-NOBODY'] });
    expect(out.result.devices[0]).toMatchObject({ reachable: true, error: null, signedInUser: null, ngcSet: null, onPremTgt: null });
    expect(assessClient(out.result.devices[0], { tenantId: TENANT_ID })).toMatchObject({ assessment: 'not-eligible', describes: 'nobody signed in', reasons: [expect.stringMatching(/^nobody signed in/)] });
    expect((await new EstateStore(file).read()).devices.find((d) => d.name === 'PC-NOBODY')!.tasksRegistered).toBeUndefined();
  });

  test('the task is unregistered and its output removed also when dsregcmd fails in the user session', async () => {
    const out = await runStep(pool, clientsSampleStep, { computerName: ['PC-FAIL', 'PC-CERT'] });
    const [failed, cert] = out.result.devices;
    expect(failed).toMatchObject({ reachable: true, signedInUser: 'CORP\\user', error: expect.stringMatching(/dsregcmd \/status in the session of CORP\\user ended with exit code 0x80070005/), ngcSet: null });
    expect(failed.events.length).toBeGreaterThan(0);
    expect(assessClient(failed, { tenantId: TENANT_ID }).assessment).toBe('unreachable');
    expect(cert).toMatchObject({ signedInUser: 'CORP\\anna', ngcSet: true, onPremTgt: false, certEnrollment: 'enrollment authority' });
    const state = await new EstateStore(file).read();
    expect(state.devices.flatMap((d) => d.scheduledTasks)).toEqual([]);
    expect(state.devices.filter((d) => d.name === 'PC-FAIL' || d.name === 'PC-CERT').map((d) => d.tasksRegistered)).toEqual([1, 1]);
    expect(readdirSync(path.join(tmpdir(), 'cloudtrust-lab-c', 'ProgramData')).filter((f) => f.startsWith('cloudtrust-whfb-'))).toEqual([]);
  });

  test('a script that builds the principal with a wrong LogonType fails on the device as Windows would, and registers nothing', async () => {
    const out = await runStep(pool, wrongPrincipal, { computerName: ['PC-CLOUD'] });
    expect(out.result.devices[0]).toMatchObject({ reachable: true, error: expect.stringMatching(/LogonType.*InteractiveToken/s), ngcSet: null });
    expect(assessClient(out.result.devices[0]).assessment).toBe('unreachable');
    expect((await new EstateStore(file).read()).devices.flatMap((d) => d.scheduledTasks)).toEqual([]);
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

  test('the clientsReadDevices activity assesses every device in its user session', async () => {
    const activities = createIntuneActivities({ pool, secrets: noSecrets });
    const out: Awaited<ReturnType<typeof activities.clientsReadDevices>> = await new MockActivityEnvironment().run(() =>
      activities.clientsReadDevices({ computerName: ['PC-CLOUD', 'PC-KEY', 'PC-CERT', 'PC-NEW', 'PC-OLD', 'PC-WORKGROUP', 'PC-NOBODY', 'PC-OFF'], tenantId: TENANT_ID, collect: 'user-session-task' }),
    );
    expect(out.result.devices.map((d) => [d.name, d.assessment])).toEqual([
      ['PC-CLOUD', 'cloud-kerberos-trust'],
      ['PC-KEY', 'key-trust-fallback'],
      ['PC-CERT', 'certificate-trust'],
      ['PC-NEW', 'not-provisioned'],
      ['PC-OLD', 'not-eligible'],
      ['PC-WORKGROUP', 'not-eligible'],
      ['PC-NOBODY', 'not-eligible'],
      ['PC-OFF', 'unreachable'],
    ]);
    expect(out.result.devices[0].describes).toBe('signed-in user CORP\\user');
    expect(out.result.devices[2].reasons.join(' | ')).toMatch(/certificate trust \(enrollment authority\)/);
    const byName = Object.fromEntries(out.result.devices.map((d) => [d.name, d.reasons.join(' | ')]));
    expect(byName['PC-KEY']).toMatch(/OnPremTgt NO and CertEnrollment none: provisioned with key trust by mistake/);
    expect(byName['PC-NEW']).toMatch(/no cloud TGT/);
    expect(byName['PC-OLD']).toMatch(/KB5010415 \(19044\.1566\)/);
    expect(byName['PC-WORKGROUP']).toMatch(/AzureAdJoined NO/);
    expect(byName['PC-OFF']).toMatch(/WinRM/);
    expect(byName['PC-NOBODY']).toMatch(/nobody signed in/);
    expect((await new EstateStore(file).read()).devices.flatMap((d) => d.scheduledTasks)).toEqual([]);
  });

  test('without collect (inputs recorded before it existed) the activity samples over remoting: the events decide', async () => {
    const activities = createIntuneActivities({ pool, secrets: noSecrets });
    const out: Awaited<ReturnType<typeof activities.clientsReadDevices>> = await new MockActivityEnvironment().run(() => activities.clientsReadDevices({ computerName: ['PC-CLOUD', 'PC-KEY', 'PC-CERT'], tenantId: TENANT_ID }));
    expect(out.result.devices.map((d) => [d.collectedAs, d.assessment])).toEqual([
      ['remoting-account', 'cloud-kerberos-trust'],
      ['remoting-account', 'key-trust-fallback'],
      ['remoting-account', 'certificate-trust'],
    ]);
    expect(out.result.devices[1].reasons.join(' | ')).toMatch(/event 358: cloud trust for on-premises auth policy was not enabled at provisioning/);
  });
});

describe('clients.read-devices against the lab: dead devices and non-English devices', () => {
  /** Simulated time runs 50 times faster: the default 3-minute OpenTimeout costs 3.6 s, the step's 10 minutes are 12 s. */
  const TIME_SCALE = 50;
  const DEAD = Array.from({ length: 100 }, (_, i) => `PC-DEAD-${String(i + 1).padStart(3, '0')}`);
  let dir: string;
  let pool: PowerShellPool;
  let withoutSessionOption: typeof clientsSampleStep;
  let messageOnly: typeof clientsSampleStep;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-clients-scale-'));
    const file = path.join(dir, 'estate.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...estate,
        timeScale: TIME_SCALE,
        devices: [
          { name: 'PC-DE-CLOUD', domain: 'corp.contoso.com', osBuild: '22631.4460', outcome: 'cloud-trust', language: 'de-DE' },
          { name: 'PC-DE-NEW', domain: 'corp.contoso.com', osBuild: '22631.4460', outcome: 'not-provisioned', language: 'de-DE' },
          ...DEAD.map((name) => ({ name, domain: 'corp.contoso.com', osBuild: '22631.4460', outcome: 'cloud-trust', reachable: false })),
        ],
      }),
    );
    // The old script: no session option (the 3-minute default OpenTimeout), and only the rendered message of each event.
    withoutSessionOption = editedStep(dir, 'test.clients-default-session-option', clientsSampleStep, '-ThrottleLimit 32 -SessionOption $sessionOption ', '-ThrottleLimit 32 ');
    messageOnly = editedStep(dir, 'test.clients-message-only', clientsSampleStep, "                    Xml         = [string]$_.ToXml()\n", '');
    pool = labPool(1, { ...process.env, CLOUDTRUST_LAB_ESTATE: file }, [clientsSampleStep, withoutSessionOption, messageOnly]);
    await pool.warm();
  }, 90_000);
  afterAll(async () => {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('review row 16: dead devices hold a throttle slot for a 15 s OpenTimeout, not 3 minutes; a sample with 100 of them finishes within the step timeout', async () => {
    const scaledTimeoutMs = clientsSampleStep.timeoutMs / TIME_SCALE;
    const computerName = ['PC-DE-CLOUD', ...DEAD];
    // 100 dead devices, 32 at a time: 4 waves of the default 3 minutes = 12 minutes > the step's 10.
    const old = await bridgeFailure(runStep(pool, withoutSessionOption, { computerName }, { timeoutMs: scaledTimeoutMs }));
    expect(old.kind).toBe('Timeout');

    // The killed process is replaced; its first call loads the lab's stub modules, which is no part of the step.
    await runStep(pool, clientsSampleStep, { computerName: ['PC-DE-CLOUD'] });
    const out = await runStep(pool, clientsSampleStep, { computerName }, { timeoutMs: scaledTimeoutMs });
    expect(out.result.devices).toHaveLength(101);
    expect(out.result.devices[0]).toMatchObject({ name: 'PC-DE-CLOUD', reachable: true });
    for (const device of out.result.devices.slice(1)) expect(device).toMatchObject({ reachable: false, error: expect.stringMatching(/WinRM cannot complete the operation/) });
    expect(out.durationMs).toBeLessThan(scaledTimeoutMs);
  }, 60_000);

  test("review row 23: a German client's prerequisite evidence is read from the language-neutral EventData, not the localized message", async () => {
    const computerName = ['PC-DE-CLOUD', 'PC-DE-NEW'];
    const out = await runStep(pool, clientsSampleStep, { computerName });
    const [cloud, fresh] = out.result.devices;
    expect(assessClient(cloud, { tenantId: TENANT_ID })).toMatchObject({ assessment: 'cloud-kerberos-trust', describes: 'signed-in user CORP\\user' });
    const launched = cloud.events.find((e) => e.id === 358)!;
    expect(launched.message).toMatch(/^Die Bereitstellung von Windows Hello for Business wird gestartet\./);
    expect(launched.message).not.toMatch(/Cloud trust for on premise auth policy/);
    expect(launched.data).toMatchObject({ DeviceIsJoined: 'Yes', LogonCertRequired: 'No', CloudTrustPolicyEnabled: 'Yes', CloudTgtPresent: 'Yes', MachinePolicySource: 'none' });
    expect(cloud.events.find((e) => e.id === 300)!.data).toMatchObject({ UPN: 'user@corp.contoso.com', Attestation: 'ATT_SOFT' });

    // Sampled remotely, NgcSet and OnPremTgt describe the remoting account: the machine-wide events decide.
    const remoteSession = { ngcSet: false, onPremTgt: null, collectedAs: 'remoting-account' as const };
    expect(assessClient({ ...cloud, ...remoteSession }, { tenantId: TENANT_ID }).assessment).toBe('cloud-kerberos-trust');
    expect(assessClient(fresh, { tenantId: TENANT_ID }).reasons.join(' | ')).toMatch(/the user account has no cloud TGT/);

    // With only the rendered message, the German text gives no evidence: the verdict falls back to key trust.
    const old = await runStep(pool, messageOnly, { computerName });
    const [oldCloud, oldFresh] = old.result.devices;
    expect(oldCloud.events.find((e) => e.id === 358)!.data).toEqual({});
    expect(assessClient({ ...oldCloud, ...remoteSession }, { tenantId: TENANT_ID })).toMatchObject({ assessment: 'key-trust-fallback', reasons: expect.arrayContaining([expect.stringMatching(/no evidence of cloud Kerberos trust/)]) });
    expect(assessClient(oldFresh, { tenantId: TENANT_ID }).reasons.join(' | ')).not.toMatch(/no cloud TGT/);
  }, 60_000);
});
