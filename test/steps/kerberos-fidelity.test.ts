import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveExecutable } from '../../activities/bridge/executable';
import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { hostScripts } from '../../activities/steps/contract';
import { ensureKerberosServerStep, getKerberosServerStep, kerberosSteps, removeKerberosServerStep, rotateKerberosKeyStep } from '../../activities/steps/kerberos';
import type { LabEstate } from '../../lab/estate/schema';
import { prepareLabSession } from '../../lab/runtime';
import { bridgeFailure } from '../support/bridge-failure';
import { editedStep } from '../support/edited-script';
import { labEstateFile } from './lab-estate';

/**
 * Fidelity review rows 4, 11, 12, 13 and 14: the lab simulates what the Kerberos module does on Windows (each
 * simulated behaviour cites its source in catalog/AzureADHybridAuthenticationManagement.json); each test runs the
 * script as it was (a copy with the fix undone) and as it is.
 */

const DOMAIN = 'corp.contoso.com';
const cloudAdmin = { userName: 'sync-admin@contoso.com', password: 'lab-Passw0rd-1' };
const signIn = { domain: DOMAIN, cloudCredential: cloudAdmin };
const scratch = mkdtempSync(path.join(tmpdir(), 'cloudtrust-kerberos-fidelity-'));

const asBefore = {
  getReadsEveryProperty: editedStep(scratch, 'test.kerberos-get-direct', getKerberosServerStep, "ConvertTo-NullableText -Value (Get-OptionalProperty -Object $server -Name 'CloudTrustDisplay')", 'ConvertTo-NullableText -Value $server.CloudTrustDisplay'),
  ensureKeepsOutput: editedStep(scratch, 'test.kerberos-ensure-output', ensureKerberosServerStep, '$null = Set-AzureADKerberosServer @signIn -Force', 'Set-AzureADKerberosServer @signIn -Force'),
  ensureWithoutWait: editedStep(scratch, 'test.kerberos-ensure-no-wait', ensureKerberosServerStep, 'foreach ($seconds in @(2, 4, 8, 16, 30)) {', 'foreach ($seconds in @()) {'),
  rotateByHostOffset: editedStep(
    scratch,
    'test.kerberos-rotate-local',
    rotateKerberosKeyStep,
    '$updated = ConvertTo-UtcInstant -Value $server.KeyUpdatedOn',
    '$updated = $null; if (([string]$server.KeyUpdatedOn).Length -gt 0) { $updated = ([datetime]$server.KeyUpdatedOn).ToUniversalTime() }',
  ),
};

function estate(module = '2.4.71.0', adjust: (estate: LabEstate) => void = () => undefined) {
  return (e: LabEstate) => {
    e.tenant.admins = [{ userPrincipalName: cloudAdmin.userName, password: cloudAdmin.password, mfaEnforced: false, entraRoles: ['Hybrid Identity Administrator'], adGroups: [] }];
    e.faults = [];
    e.managementHost.modules = [{ name: 'AzureADHybridAuthenticationManagement', version: module }];
    adjust(e);
  };
}

function poolFor(env: NodeJS.ProcessEnv): PowerShellPool {
  return new PowerShellPool({ executable: resolveExecutable({ ...env, CLOUDTRUST_POWERSHELL: 'lab' }), scripts: hostScripts([...kerberosSteps, ...Object.values(asBefore)]), size: 1, startTimeoutMs: 60_000 });
}

const server = (e: LabEstate) => e.forests[0].domains[0].kerberosServer;

describe('review row 4: the Kerberos module needs Windows PowerShell 5.1', () => {
  let pool: PowerShellPool;
  beforeAll(() => {
    pool = poolFor(labEstateFile('default', estate()).env);
  });
  afterAll(() => pool.close());

  test('review row 4: a Kerberos step in the PowerShell 7 set fails as the module does there; routed by its edition it runs in the 5.1 set', async () => {
    // The contract as it was (no edition): the single pool ran it in the main executable, here PowerShell 7.
    const failure = await bridgeFailure(runStep(pool, { ...getKerberosServerStep, edition: 'any' }, signIn));
    expect(failure.kind).toBe('Unsupported');
    expect(failure.retryable).toBe(false);
    expect(failure.errors[0]).toMatchObject({
      message: 'Unexpected exception thrown. Action: GetKerberosDomainSyncConfigAsync, Exception: Operation is not supported on this platform.',
      fullyQualifiedErrorId: 'System.InvalidOperationException,Get-AzureADKerberosServer',
      exceptionType: 'System.InvalidOperationException',
    });
    expect(getKerberosServerStep.edition).toBe('desktop');
    const routed = await runStep(pool, getKerberosServerStep, signIn);
    expect(routed.result.id).toBeNull();
    // One process per set; each reports the edition it stands for, and the one it runs as.
    expect(pool.hostInfos().map((h) => [h.edition, h.runtimeEdition]).sort()).toEqual([
      ['Core', 'Core'],
      ['Desktop', 'Core'],
    ]);
  });
});

describe('review row 11: properties the documented table does not list', () => {
  let pool: PowerShellPool;
  beforeAll(() => {
    pool = poolFor(labEstateFile('default', estate('2.0.55.0')).env);
  });
  afterAll(() => pool.close());

  test('review row 11: an older module\'s object lacks CloudTrustDisplay; kerberos.read-server reads it only if present', async () => {
    const failure = await bridgeFailure(runStep(pool, asBefore.getReadsEveryProperty, signIn));
    expect(failure.errors[0].fullyQualifiedErrorId).toMatch(/^PropertyNotFoundStrict\b/);
    expect(failure.message).toContain("The property 'CloudTrustDisplay' cannot be found on this object.");
    await runStep(pool, ensureKerberosServerStep, signIn);
    const state = (await runStep(pool, getKerberosServerStep, signIn)).result;
    expect(state).toMatchObject({ cloudTrustDisplay: null, displayName: `krbtgt_${state.id}`, cloudDisplayName: `krbtgt_${state.id}` });
  });
});

describe('review row 12: Set-/Remove-AzureADKerberosServer write an object (undocumented)', () => {
  let pool: PowerShellPool;
  let lab: ReturnType<typeof labEstateFile>;
  beforeAll(() => {
    lab = labEstateFile('default', estate());
    pool = poolFor(lab.env);
  });
  afterAll(() => pool.close());

  test('review row 12: Set-AzureADKerberosServer output is discarded, and Remove-AzureADKerberosServer\'s too', async () => {
    const failure = await bridgeFailure(runStep(pool, asBefore.ensureKeepsOutput, signIn));
    expect(failure.message).toContain('wrote 2 objects to the output stream');
    // The change was made before the step failed.
    expect((await lab.store.read()).mutations).toEqual({ [`kerberos:${DOMAIN}`]: 1 });
    const removed = await runStep(pool, removeKerberosServerStep, { ...signIn, confirmRemoval: true });
    expect(removed.result.after).toEqual({ present: false });
    const created = await runStep(pool, ensureKerberosServerStep, signIn);
    expect(created).toMatchObject({ changed: true, result: { after: { configured: true, consistent: true } } });
  });
});

describe('review row 13: KeyUpdatedOn of either DateTimeKind, on a host east or west of UTC', () => {
  /** What kerberos.rotate-key decides: a forced rotation for a fresh request, its retry, an unforced one an instant later. */
  async function decisions(pool: PowerShellPool, lab: ReturnType<typeof labEstateFile>, kind: 'Utc' | 'Unspecified', rotate: typeof rotateKerberosKeyStep) {
    await lab.store.update((e) => {
      Object.assign(server(e), { ad: null, cloud: null, keyUpdatedOnKind: kind });
      e.mutations = {};
    });
    await runStep(pool, ensureKerberosServerStep, signIn);
    const requestedAt = new Date().toISOString();
    const outcome = async (input: { requestedAt: string; force: boolean }) => {
      const out = await runStep(pool, rotate, { ...signIn, ...input });
      return out.changed ? 'rotated' : out.result.skipped;
    };
    const forced = await outcome({ requestedAt, force: true });
    const retried = await outcome({ requestedAt, force: true });
    const unforced = await outcome({ requestedAt: new Date().toISOString(), force: false });
    return { forced, retried, unforced, rotations: (await lab.store.read()).mutations[`kerberos-key:${DOMAIN}`] ?? 0 };
  }
  const expected = { forced: 'rotated', retried: 'already rotated for this request', unforced: 'key updated less than 24 hours ago', rotations: 1 };

  for (const zone of ['America/Los_Angeles', 'Asia/Tokyo']) {
    describe(zone, () => {
      let pool: PowerShellPool;
      let lab: ReturnType<typeof labEstateFile>;
      beforeAll(() => {
        lab = labEstateFile('default', estate());
        pool = poolFor({ ...lab.env, TZ: zone });
      });
      afterAll(() => pool.close());

      test(`review row 13: KeyUpdatedOn is compared as UTC whatever its Kind (${zone})`, async () => {
        expect(await decisions(pool, lab, 'Utc', rotateKerberosKeyStep)).toEqual(expected);
        expect(await decisions(pool, lab, 'Unspecified', rotateKerberosKeyStep)).toEqual(expected);
        const state = (await runStep(pool, getKerberosServerStep, signIn)).result;
        expect(state.keyUpdatedOn).toBe(new Date(server(await lab.store.read()).ad!.keyUpdatedOn).toISOString().replace('Z', '0000Z'));
        // As it was: Kind Unspecified converted by the host's offset.
        expect(await decisions(pool, lab, 'Unspecified', asBefore.rotateByHostOffset)).not.toEqual(expected);
      }, 240_000);
    });
  }
});

describe('review row 14: the read right after Set may come from a DC the change has not reached', () => {
  let pool: PowerShellPool;
  let lab: ReturnType<typeof labEstateFile>;
  beforeAll(() => {
    lab = labEstateFile(
      'default',
      estate('2.4.71.0', (e) => {
        server(e).staleReadsAfterSet = 2;
      }),
    );
    pool = poolFor(lab.env);
  });
  afterAll(() => pool.close());

  test('review row 14: after Set the step waits for a consistent read instead of failing, with exactly one Set', async () => {
    const { service } = await prepareLabSession(lab.env);
    const sets = () => service.calls.get('Set-AzureADKerberosServer') ?? 0;
    const failure = await bridgeFailure(runStep(pool, asBefore.ensureWithoutWait, signIn));
    expect(failure.message).toContain('still not consistent');
    expect(sets()).toBe(1);
    // Its retry reads from the stale DC too, and Sets again.
    await bridgeFailure(runStep(pool, asBefore.ensureWithoutWait, signIn));
    expect(sets()).toBe(2);

    await lab.store.update((e) => {
      Object.assign(server(e), { ad: null, cloud: null, staleReadsRemaining: 0 });
    });
    const before = sets();
    const out = await runStep(pool, ensureKerberosServerStep, signIn);
    expect(out).toMatchObject({ changed: true, result: { after: { configured: true, consistent: true } } });
    expect(sets() - before).toBe(1);
  }, 120_000);
});
