import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { ensureKerberosServerStep } from '../../activities/steps/kerberos';
import { kerberosReplicationPolicyStep, userReadinessStep } from '../../activities/steps/user-readiness';
import type { LabEstate } from '../../lab/estate/schema';
import { bridgeFailure } from '../support/bridge-failure';
import { editedStep } from '../support/edited-script';
import { labPool } from '../transport/pool-fixture';
import { labEstateFile } from './lab-estate';

const DOMAIN = 'corp.contoso.com';
const BASE = 'DC=corp,DC=contoso,DC=com';
const graph = { tenantId: '4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d', clientId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', certificateThumbprint: '0123456789ABCDEF0123456789ABCDEF01234567' };

/** The corp domain with a Kerberos object, a tier-0 group denied on top of the default policy, and pilot users. */
function pilotEstate(estate: LabEstate): void {
  estate.tenant.applications = [{ appId: graph.clientId, displayName: 'cloudtrust', certificateThumbprints: [graph.certificateThumbprint], roles: ['Organization.Read.All', 'User.Read.All'] }];
  estate.managementHost.certificates = [{ thumbprint: graph.certificateThumbprint, subject: 'CN=cloudtrust', store: 'CurrentUser\\My' }];
  const domain = estate.forests[0].domains.find((d) => d.dnsName === DOMAIN)!;
  domain.kerberosServer.ad = {
    id: 4242,
    keyVersion: 104242,
    previousKeyVersion: null,
    keyUpdatedOn: '2026-01-05T10:00:00Z',
    keyUpdatedFrom: domain.controllers[0].hostName,
    userAccount: `CN=krbtgt_AzureAD,CN=Users,${BASE}`,
    computerAccount: `CN=AzureADKerberos,OU=Domain Controllers,${BASE}`,
  };
  domain.groups.push(
    { name: 'WHfB-Pilot-Users', distinguishedName: `CN=WHfB-Pilot-Users,CN=Users,${BASE}`, scope: 'Global', members: [] },
    { name: 'Pilot-Admins', distinguishedName: `CN=Pilot-Admins,CN=Users,${BASE}`, scope: 'Global', members: [] },
    { name: 'Tier0', distinguishedName: `CN=Tier0,CN=Users,${BASE}`, scope: 'Global', members: [`CN=Pilot-Admins,CN=Users,${BASE}`] },
  );
  const user = (samAccountName: string, extra: Partial<LabEstate['forests'][number]['domains'][number]['users'][number]> = {}) => ({
    samAccountName,
    memberOf: ['WHfB-Pilot-Users'],
    enabled: true,
    passwordLastSet: '2026-10-01T08:00:00Z',
    passwordExpired: false,
    passwordNeverExpires: false,
    generatedGroups: 0,
    entra: 'synced' as const,
    ...extra,
  });
  domain.users = [
    user('alice'),
    user('dana.admin', { memberOf: ['WHfB-Pilot-Users', 'Domain Admins'] }),
    user('erin', { passwordExpired: true }),
    user('frank', { passwordLastSet: null }),
    user('gina', { entra: 'attributesMissing' }),
    user('hugo', { entra: 'absent' }),
    user('ivan', { generatedGroups: 1100 }),
    user('paul', { memberOf: ['Pilot-Admins'] }),
  ];
  domain.kerberosServer.passwordReplicationPolicy = {
    allowed: [`CN=Allowed RODC Password Replication Group,CN=Users,${BASE}`, `CN=Domain Users,CN=Users,${BASE}`],
    denied: [`CN=Denied RODC Password Replication Group,CN=Users,${BASE}`, `CN=Account Operators,CN=Builtin,${BASE}`, `CN=Server Operators,CN=Builtin,${BASE}`, `CN=Backup Operators,CN=Builtin,${BASE}`, `CN=Administrators,CN=Builtin,${BASE}`, `CN=Tier0,CN=Users,${BASE}`],
  };
}

jest.setTimeout(180_000);

describe('AzureADKerberos password replication policy and user readiness against the lab', () => {
  let pool: PowerShellPool;
  beforeAll(async () => {
    pool = labPool(1, labEstateFile('default', pilotEstate).env);
    await pool.warm();
  });
  afterAll(() => pool.close());

  test('reads the allowed and denied lists and says which user groups the policy denies', async () => {
    const out = await runStep(pool, kerberosReplicationPolicyStep, { domain: DOMAIN, userGroups: ['WHfB-Pilot-Users', 'Pilot-Admins', 'No-Such-Group'] });
    expect(out.changed).toBe(false);
    expect(out.result.present).toBe(true);
    expect(out.result.allowed.map((p) => p.name)).toEqual(['Allowed RODC Password Replication Group', 'Domain Users']);
    expect(out.result.denied.map((p) => p.name)).toEqual(['Denied RODC Password Replication Group', 'Account Operators', 'Server Operators', 'Backup Operators', 'Administrators', 'Tier0']);
    expect(out.result.denied[4]).toMatchObject({ sid: 'S-1-5-32-544', objectClass: 'group' });
    const [pilot, admins, missing] = out.result.groups;
    expect(pilot).toMatchObject({ found: true, deniedVia: null, users: 7, deniedUsers: 1 });
    expect(pilot.deniedExamples).toEqual(['dana.admin (via Denied RODC Password Replication Group)']);
    expect(admins).toMatchObject({ found: true, deniedVia: 'Tier0', users: 1, deniedUsers: 1 });
    expect(missing).toMatchObject({ found: false, users: 0 });
  });

  test('lists who will fail and why: privileged, expired, must change, unsynced, too many groups', async () => {
    const policy = (await runStep(pool, kerberosReplicationPolicyStep, { domain: DOMAIN, userGroups: [] })).result;
    const out = await runStep(pool, userReadinessStep, {
      domain: DOMAIN,
      userGroups: ['WHfB-Pilot-Users', 'Pilot-Admins'],
      allowedSids: policy.allowed.map((p) => p.sid),
      deniedSids: policy.denied.map((p) => p.sid),
      deniedNames: policy.denied.map((p) => p.name),
      ...graph,
    });
    expect(out.result).toMatchObject({ totalUsers: 8, checked: 8, entraChecked: true });
    const reasons = Object.fromEntries(out.result.users.map((u) => [u.samAccountName, u.reasons.join(' | ')]));
    expect(reasons.alice).toBe('');
    expect(out.result.users.find((u) => u.samAccountName === 'alice')!.ready).toBe(true);
    expect(reasons['dana.admin']).toMatch(/^denied by the AzureADKerberos password replication policy \(Denied RODC Password Replication Group, Administrators\): sign-in fails with 0xc000006d/);
    expect(reasons.erin).toBe('the password has expired: cloud trust sign-in is blocked until it is reset');
    expect(reasons.frank).toBe('must change the password at next logon (pwdLastSet 0)');
    expect(reasons.gina).toBe('synced attributes missing in Entra ID: onPremisesSamAccountName, onPremisesDomainName, onPremisesSecurityIdentifier');
    expect(reasons.hugo).toBe('not found in Entra ID (not synced)');
    // 1,100 generated groups, WHfB-Pilot-Users and the primary group Domain Users.
    expect(reasons.ivan).toBe('member of 1102 groups: an Entra Kerberos ticket carries at most 1010');
    expect(reasons.paul).toMatch(/\(Tier0\)/);
  });

  test('without a Graph sign-in the Entra attributes are not checked; MaxUsers bounds the list, not the count', async () => {
    const out = await runStep(pool, userReadinessStep, { domain: DOMAIN, userGroups: ['WHfB-Pilot-Users'], maxUsers: 3 });
    expect(out.result).toMatchObject({ totalUsers: 7, checked: 3, entraChecked: false });
    expect(out.result.users.flatMap((u) => u.reasons).some((r) => /Entra/.test(r))).toBe(false);
  });
});

const scratch = mkdtempSync(path.join(tmpdir(), 'cloudtrust-prp-'));
/** The AzureADKerberos object by a bare name, and both parameter sets at once: the policy cmdlet is as strict as the real one. */
const byBareName = editedStep(scratch, 'test.prp-bare-name', kerberosReplicationPolicyStep, '-Identity $objectDn -Allowed', "-Identity 'AzureADKerberos' -Allowed");
const bothLists = editedStep(scratch, 'test.prp-both-sets', kerberosReplicationPolicyStep, '-Identity $objectDn -Allowed', '-Identity $objectDn -Allowed -Denied');
const cloudAdmin = { userName: 'sync-admin@contoso.com', password: 'lab-Passw0rd-1' };

describe('the password replication policy before and after Set-AzureADKerberosServer creates the object', () => {
  let pool: PowerShellPool;
  beforeAll(async () => {
    const lab = labEstateFile('default', (estate) => {
      pilotEstate(estate);
      const domain = estate.forests[0].domains.find((d) => d.dnsName === DOMAIN)!;
      domain.kerberosServer.ad = null;
      domain.kerberosServer.passwordReplicationPolicy = undefined;
      estate.tenant.admins.push({ userPrincipalName: cloudAdmin.userName, password: cloudAdmin.password, mfaEnforced: false, entraRoles: ['Hybrid Identity Administrator'], adGroups: [] });
      estate.managementHost.modules = [{ name: 'AzureADHybridAuthenticationManagement', version: '2.4.71.0' }];
    });
    pool = labPool(1, lab.env, [kerberosReplicationPolicyStep, ensureKerberosServerStep, byBareName, bothLists]);
    await pool.warm();
  });
  afterAll(() => pool.close());

  const DEFAULT_DENIED = ['Denied RODC Password Replication Group', 'Account Operators', 'Server Operators', 'Backup Operators', 'Administrators'];

  test('no object yet: the default policy it will get, so a plan can say who will fail', async () => {
    const out = await runStep(pool, kerberosReplicationPolicyStep, { domain: DOMAIN, userGroups: ['WHfB-Pilot-Users'] });
    expect(out.result.present).toBe(false);
    expect(out.warnings).toEqual([expect.stringMatching(/does not exist yet: users are checked against the default policy it will get/)]);
    expect(out.result.denied.map((p) => p.name)).toEqual(DEFAULT_DENIED);
    expect(out.result.groups[0]).toMatchObject({ deniedVia: null, deniedUsers: 1, deniedExamples: ['dana.admin (via Denied RODC Password Replication Group)'] });
  });

  test('Set-AzureADKerberosServer gives the object that policy; a DC name that is not one, and both lists at once, fail as on Windows', async () => {
    await runStep(pool, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    const out = await runStep(pool, kerberosReplicationPolicyStep, { domain: DOMAIN });
    expect(out.result.present).toBe(true);
    expect(out.result.allowed.map((p) => p.name)).toEqual(['Allowed RODC Password Replication Group', 'Domain Users']);
    expect(out.result.denied.map((p) => p.name)).toEqual(DEFAULT_DENIED);

    const notFound = await bridgeFailure(runStep(pool, byBareName, { domain: DOMAIN }));
    expect(notFound.errors[0].fullyQualifiedErrorId).toMatch(/^ActiveDirectoryCmdlet:Microsoft\.ActiveDirectory\.Management\.ADIdentityNotFoundException,/);
    expect(notFound.message).toContain(`Cannot find an object with identity: 'AzureADKerberos' under: '${BASE}'.`);
    const ambiguous = await bridgeFailure(runStep(pool, bothLists, { domain: DOMAIN }));
    expect(ambiguous.errors[0].fullyQualifiedErrorId).toMatch(/^AmbiguousParameterSet,/);
  });
});
