import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { ensureKerberosServerStep, getKerberosServerStep, kerberosReplicationStep, removeKerberosServerStep, rotateKerberosKeyStep } from '../../activities/steps/kerberos';
import type { LabEstate } from '../../lab/estate/schema';
import { bridgeFailure } from '../support/bridge-failure';
import { labPool } from '../transport/pool-fixture';
import { labEstateFile } from './lab-estate';

const DOMAIN = 'corp.contoso.com';
const REPLICATION_DELAY_S = 20;
const cloudAdmin = { userName: 'sync-admin@contoso.com', password: 'lab-Passw0rd-1' };
const mfaAdmin = { userName: 'mfa-admin@contoso.com', password: 'lab-Passw0rd-2' };
const weakAdAdmin = { userName: 'helpdesk@corp.contoso.com', password: 'lab-Passw0rd-3' };

function withAdmins(estate: LabEstate): void {
  estate.tenant.admins = [
    { userPrincipalName: cloudAdmin.userName, password: cloudAdmin.password, mfaEnforced: false, entraRoles: ['Hybrid Identity Administrator'], adGroups: [] },
    { userPrincipalName: mfaAdmin.userName, password: mfaAdmin.password, mfaEnforced: true, entraRoles: ['Global Administrator'], adGroups: [] },
    { userPrincipalName: weakAdAdmin.userName, password: weakAdAdmin.password, mfaEnforced: false, entraRoles: [], adGroups: ['Helpdesk'] },
  ];
  for (const domain of estate.forests.flatMap((f) => f.domains)) {
    domain.kerberosServer.ad = null;
    domain.kerberosServer.cloud = null;
    domain.kerberosServer.replicationDelaySeconds = 1;
  }
  estate.faults = [];
  // The real scripts import the module: the management host has it installed (the host steps install it first in a rollout).
  estate.managementHost.modules = [{ name: 'AzureADHybridAuthenticationManagement', version: '2.4.71.0' }];
}

describe('Azure AD Kerberos server object steps against the lab', () => {
  let pool: PowerShellPool;
  let lab: ReturnType<typeof labEstateFile>;
  beforeEach(async () => {
    lab = labEstateFile('default', withAdmins);
    pool = labPool(1, lab.env);
    await pool.warm();
  });
  afterEach(() => pool.close());

  test('not configured: every property is empty', async () => {
    const out = await runStep(pool, getKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    expect(Object.values(out.result).every((v) => v === null)).toBe(true);
  });

  test('ensure creates the object once; a second run changes nothing; Get shows consistent halves', async () => {
    const first = await runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    expect(first.changed).toBe(true);
    expect(first.result.after).toMatchObject({ configured: true, consistent: true });
    const second = await runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    expect(second.changed).toBe(false);
    expect(second.result.changes).toEqual([]);
    const state = (await runStep(pool, getKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin })).result;
    expect(state.id).toBe(state.cloudId);
    expect(state.keyVersion).toBe(state.cloudKeyVersion);
    expect(state.domainDnsName).toBe(state.cloudDomainDnsName);
    expect(state.computerAccount).toBe('CN=AzureADKerberos,OU=Domain Controllers,DC=corp,DC=contoso,DC=com');
    expect((await lab.store.read()).mutations).toEqual({ [`kerberos:${DOMAIN}`]: 1 });
  });

  test('plan mode lists the change and changes nothing', async () => {
    const out = await runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, planOnly: true });
    expect(out.result).toMatchObject({ planOnly: true, changes: [`create the Azure AD Kerberos server object for ${DOMAIN}`] });
    const estate = await lab.store.read();
    expect(estate.mutations).toEqual({});
    expect(estate.forests[0].domains[0].kerberosServer.ad).toBeNull();
  });

  test('inconsistent halves are repaired with a new key', async () => {
    await runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    await lab.store.update((estate) => {
      estate.forests[0].domains[0].kerberosServer.cloud!.keyVersion += 1;
    });
    const out = await runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    expect(out.result.before).toMatchObject({ consistent: false, problems: [expect.stringMatching(/^KeyVersion \d+ differs from CloudKeyVersion \d+$/)] });
    expect(out.result.after).toMatchObject({ consistent: true });
  });

  test('an MFA-enforced admin cannot sign in with -CloudCredential, as the real sign-in fails', async () => {
    const error = await bridgeFailure(runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: mfaAdmin }));
    expect(error.kind).toBe('AccessDenied');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('AADSTS50076');
    expect(error.message).not.toContain(mfaAdmin.password);
  });

  test('a wrong password is AADSTS50126, never echoed', async () => {
    const error = await bridgeFailure(runStep(pool, getKerberosServerStep, { domain: DOMAIN, cloudCredential: { ...cloudAdmin, password: 'not-the-password' } }));
    expect(error.kind).toBe('AccessDenied');
    expect(error.message).toContain('AADSTS50126');
    expect(error.message).not.toContain('not-the-password');
  });

  test('an AD identity without rights gets the documented "insufficient access rights" failure, non-retryable', async () => {
    const error = await bridgeFailure(runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, domainCredential: weakAdAdmin }));
    expect(error.kind).toBe('AccessDenied');
    expect(error.message).toContain('The user has insufficient access rights.');
    expect((await lab.store.read()).mutations).toEqual({});
  });

  test('a DOMAIN\\user domain credential is refused before anything is sent', async () => {
    const error = await bridgeFailure(runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, domainCredential: { userName: 'CORP\\admin', password: 'x' } }));
    expect(error.kind).toBe('InvalidInput');
    expect(error.message).toMatch(/domainCredential\.userName: must be in UPN form/);
  });

  test('a declared permanent fault surfaces with its text', async () => {
    await lab.store.update((estate) => {
      estate.faults = [{ command: 'Set-AzureADKerberosServer', target: DOMAIN, mode: 'permanent', message: 'Failed to create Azure AD Kerberos Server: Error sending directory request: The user has insufficient access rights.', category: 'NotSpecified', errorId: 'System.InvalidOperationException', exceptionType: 'System.InvalidOperationException' }];
    });
    const error = await bridgeFailure(runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin }));
    expect(error.kind).toBe('AccessDenied');
  });

  test('an unknown domain is unreachable (retryable)', async () => {
    const error = await bridgeFailure(runStep(pool, getKerberosServerStep, { domain: 'nowhere.contoso.com', cloudCredential: cloudAdmin }));
    expect(error.kind).toBe('Unreachable');
    expect(error.retryable).toBe(true);
  });

  test('replication: other writable DCs catch up after the delay; an unreachable DC is reported', async () => {
    await lab.store.update((estate) => {
      estate.forests[0].domains[0].controllers.push({ hostName: 'dc09.corp.contoso.com', site: 'HQ', operatingSystem: 'Windows Server 2022', currentBuild: 20348, ubr: 1, isReadOnly: false, reachable: false, supportedEncryptionTypes: null });
      // Long enough for the three real scripts to run before the other DCs see the key.
      estate.forests[0].domains[0].kerberosServer.replicationDelaySeconds = REPLICATION_DELAY_S;
    });
    await runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    const state = (await runStep(pool, getKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin })).result;
    const servers = ['dc01.corp.contoso.com', 'dc02.corp.contoso.com', 'dc09.corp.contoso.com'];
    const early = await runStep(pool, kerberosReplicationStep, { domain: DOMAIN, sourceServer: state.keyUpdatedFrom!, servers });
    expect(early.result.replicas.find((r) => r.server === state.keyUpdatedFrom)?.caughtUp).toBe(true);
    expect(early.result.replicas.find((r) => r.server === 'dc02.corp.contoso.com')?.caughtUp).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(state.keyUpdatedOn!).getTime() + REPLICATION_DELAY_S * 1000 + 100 - Date.now())));
    const later = await runStep(pool, kerberosReplicationStep, { domain: DOMAIN, sourceServer: state.keyUpdatedFrom!, servers });
    expect(later.result.replicas.map((r) => [r.server, r.caughtUp, r.reachable])).toEqual([
      ['dc01.corp.contoso.com', true, true],
      ['dc02.corp.contoso.com', true, true],
      ['dc09.corp.contoso.com', false, false],
    ]);
    // A rotation's new KeyVersion: a DC has caught up when it holds that one, whatever the source holds.
    const version = Number(state.keyVersion);
    const expected = await runStep(pool, kerberosReplicationStep, { domain: DOMAIN, sourceServer: state.keyUpdatedFrom!, servers, expectedKeyVersion: version });
    expect(expected.result.replicas.map((r) => [r.server, r.keyVersion, r.caughtUp])).toEqual([
      ['dc01.corp.contoso.com', version, true],
      ['dc02.corp.contoso.com', version, true],
      ['dc09.corp.contoso.com', null, false],
    ]);
    const ahead = await runStep(pool, kerberosReplicationStep, { domain: DOMAIN, sourceServer: state.keyUpdatedFrom!, servers, expectedKeyVersion: version + 1 });
    expect(ahead.result.replicas.map((r) => r.caughtUp)).toEqual([false, false, false]);
  });

  test('rotation: once per request, not again within 24 h unless forced, plan mode changes nothing', async () => {
    await runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    const requestedAt = new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const tooSoon = await runStep(pool, rotateKerberosKeyStep, { domain: DOMAIN, cloudCredential: cloudAdmin, requestedAt });
    expect(tooSoon).toMatchObject({ changed: false, result: { skipped: 'key updated less than 24 hours ago' } });
    expect(tooSoon.warnings[0]).toMatch(/less than 24 hours ago/);

    const planned = await runStep(pool, rotateKerberosKeyStep, { domain: DOMAIN, cloudCredential: cloudAdmin, requestedAt, force: true, planOnly: true });
    expect(planned.result.changes).toHaveLength(1);
    expect(planned.result.after.keyVersion).toBe(planned.result.before.keyVersion);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const forced = await runStep(pool, rotateKerberosKeyStep, { domain: DOMAIN, cloudCredential: cloudAdmin, requestedAt, force: true });
    expect(forced.changed).toBe(true);
    expect(Number(forced.result.after.keyVersion)).toBeGreaterThan(Number(forced.result.before.keyVersion) + 1);
    const retried = await runStep(pool, rotateKerberosKeyStep, { domain: DOMAIN, cloudCredential: cloudAdmin, requestedAt, force: true });
    expect(retried).toMatchObject({ changed: false, result: { skipped: 'already rotated for this request' } });
    expect((await lab.store.read()).mutations[`kerberos-key:${DOMAIN}`]).toBe(1);
  });

  test('removal needs confirmation, honours plan mode, and is idempotent', async () => {
    await runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    const unconfirmed = await bridgeFailure(runStep(pool, removeKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin } as never));
    expect(unconfirmed.kind).toBe('InvalidInput');
    const planned = await runStep(pool, removeKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, confirmRemoval: true, planOnly: true });
    expect(planned.result).toMatchObject({ planOnly: true, before: { present: true }, after: { present: true } });
    const removed = await runStep(pool, removeKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, confirmRemoval: true });
    expect(removed.result.after).toEqual({ present: false });
    const again = await runStep(pool, removeKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, confirmRemoval: true });
    expect(again.changed).toBe(false);
    expect((await lab.store.read()).mutations[`kerberos-removed:${DOMAIN}`]).toBe(1);
  });
});
