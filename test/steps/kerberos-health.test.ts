import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { ensureKerberosServerStep, getKerberosServerStep } from '../../activities/steps/kerberos';
import { kerberosHealthStep } from '../../activities/steps/kerberos-health';
import type { LabEstate } from '../../lab/estate/schema';
import { kerberosObjectProblems } from '../../model/kerberos-health';
import { kerberosMismatches } from '../../model/kerberos-output';
import { bridgeFailure } from '../support/bridge-failure';
import { labPool } from '../transport/pool-fixture';
import { labEstateFile } from './lab-estate';

const DOMAIN = 'corp.contoso.com';
const DN = 'DC=corp,DC=contoso,DC=com';
const DC = 'dc01.corp.contoso.com';
const OTHER_TENANT = '0b7c5d3e-1f2a-4b6c-8d9e-aabbccddeeff';
const cloudAdmin = { userName: 'sync-admin@contoso.com', password: 'lab-Passw0rd-1' };

type AdHalf = NonNullable<LabEstate['forests'][number]['domains'][number]['kerberosServer']['ad']>;

/** A Kerberos server object written long ago (replicated everywhere), with the AD objects as `objects` says. */
function seeded(objects: AdHalf['objects'], accountName = 'krbtgt_AzureAD', cloud = true) {
  return (estate: LabEstate) => {
    base(estate);
    const domain = estate.forests[0].domains[0];
    const keyUpdatedOn = '2026-06-01T08:00:00.000Z';
    domain.kerberosServer.ad = {
      id: 4242,
      keyVersion: 104242,
      previousKeyVersion: null,
      keyUpdatedOn,
      keyUpdatedFrom: DC,
      userAccount: `CN=${accountName},CN=Users,${DN}`,
      computerAccount: `CN=AzureADKerberos,OU=Domain Controllers,${DN}`,
      objects,
    };
    domain.kerberosServer.cloud = cloud ? { id: 4242, keyVersion: 104242, keyUpdatedOn, domainDnsName: DOMAIN, displayName: 'krbtgt_4242' } : null;
  };
}

function base(estate: LabEstate): void {
  estate.tenant.admins = [{ userPrincipalName: cloudAdmin.userName, password: cloudAdmin.password, mfaEnforced: false, entraRoles: ['Hybrid Identity Administrator'], adGroups: [] }];
  for (const domain of estate.forests.flatMap((f) => f.domains)) {
    domain.kerberosServer.ad = null;
    domain.kerberosServer.cloud = null;
    domain.kerberosServer.replicationDelaySeconds = 1;
  }
  estate.faults = [];
  estate.managementHost.modules = [
    { name: 'AzureADHybridAuthenticationManagement', version: '2.4.71.0' },
    { name: 'ActiveDirectory', version: '1.0.1.0' },
  ];
}

describe('Kerberos server object health, sovereign clouds and one tenant per domain, through the real scripts', () => {
  let pool: PowerShellPool | undefined;
  let lab: ReturnType<typeof labEstateFile>;
  async function start(adjust: (estate: LabEstate) => void) {
    lab = labEstateFile('default', adjust);
    pool = labPool(1, lab.env);
    await pool.warm();
    return pool;
  }
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  test('a healthy object: created by Set, all three AD objects in place, the four rules of the halves hold', async () => {
    const p = await start(base);
    await runStep(p, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin });
    const state = (await runStep(p, getKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin })).result;
    expect(state.keyUpdatedOn).not.toBeNull();
    expect(kerberosMismatches(state)).toEqual([]);
    const health = (await runStep(p, kerberosHealthStep, { domain: DOMAIN, server: state.keyUpdatedFrom! })).result;
    expect(health).toEqual({
      domainDistinguishedName: DN,
      serviceConnectionPoint: { present: true, distinguishedName: `CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,${DN}` },
      userAccount: { present: true, distinguishedName: `CN=krbtgt_AzureAD,CN=Users,${DN}`, enabled: false, supportedEncryptionTypes: null },
      computerAccount: { present: true, distinguishedName: `CN=AzureADKerberos,OU=Domain Controllers,${DN}` },
    });
    expect(kerberosObjectProblems(health)).toEqual([]);
    expect((await lab.store.read()).forests[0].domains[0].kerberosServer.ad?.objects?.tenantId).toBe((await lab.store.read()).tenant.id);
  });

  test('no object: the health step finds nothing, and says so', async () => {
    const p = await start(base);
    const health = (await runStep(p, kerberosHealthStep, { domain: DOMAIN })).result;
    expect([health.serviceConnectionPoint.present, health.userAccount.present, health.computerAccount.present]).toEqual([false, false, false]);
  });

  test('KeyUpdatedOn differing from CloudKeyUpdatedOn is a mismatch for Get and for ensure', async () => {
    const p = await start((estate) => {
      seeded({})(estate);
      estate.forests[0].domains[0].kerberosServer.cloud!.keyUpdatedOn = '2026-05-01T08:00:00.000Z';
    });
    const state = (await runStep(p, getKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin })).result;
    expect(kerberosMismatches(state)).toEqual(['KeyUpdatedOn 2026-06-01T08:00:00.0000000Z differs from CloudKeyUpdatedOn 2026-05-01T08:00:00.0000000Z']);
    const plan = await runStep(p, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, planOnly: true });
    expect(plan.result.before).toMatchObject({ consistent: false, problems: ['KeyUpdatedOn 2026-06-01T08:00:00Z differs from CloudKeyUpdatedOn 2026-05-01T08:00:00Z'] });
    expect(plan.result.changes).toEqual([expect.stringMatching(/^repair the Azure AD Kerberos server object/)]);
  });

  test('the serviceConnectionPoint missing is reported', async () => {
    const p = await start(seeded({ serviceConnectionPoint: false }));
    const health = (await runStep(p, kerberosHealthStep, { domain: DOMAIN })).result;
    expect(health.serviceConnectionPoint).toEqual({ present: false, distinguishedName: null });
    expect(kerberosObjectProblems(health)).toEqual([`the serviceConnectionPoint CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,${DN} is missing: the tools find the Kerberos server objects through it`]);
  });

  test('krbtgt_AzureAD without AES (msDS-SupportedEncryptionTypes 0x4, RC4 only) is reported; AES-only 0x18 is not', async () => {
    let p = await start(seeded({ supportedEncryptionTypes: 0x4 }));
    let health = (await runStep(p, kerberosHealthStep, { domain: DOMAIN })).result;
    expect(health.userAccount.supportedEncryptionTypes).toBe(4);
    expect(kerberosObjectProblems(health)).toEqual([`CN=krbtgt_AzureAD,CN=Users,${DN} has msDS-SupportedEncryptionTypes 0x4 without AES256_HMAC_SHA1 (0x10): Entra Kerberos uses AES-256 only`]);
    await p.close();
    p = await start(seeded({ supportedEncryptionTypes: 0x18 }));
    health = (await runStep(p, kerberosHealthStep, { domain: DOMAIN })).result;
    expect(kerberosObjectProblems(health)).toEqual([]);
  });

  test('the krbtgt-AzureAD spelling (the 2026 sample) is found; an enabled account and a missing computer are reported', async () => {
    const p = await start(seeded({ userAccountEnabled: true, computerAccount: false }, 'krbtgt-AzureAD'));
    const health = (await runStep(p, kerberosHealthStep, { domain: DOMAIN })).result;
    expect(health.userAccount).toMatchObject({ present: true, distinguishedName: `CN=krbtgt-AzureAD,CN=Users,${DN}`, enabled: true });
    expect(kerberosObjectProblems(health)).toEqual([
      `CN=krbtgt-AzureAD,CN=Users,${DN} is enabled: the account that holds the Kerberos server key must be disabled`,
      `the computer CN=AzureADKerberos,OU=Domain Controllers,${DN} is missing: it stands for the Entra KDC as an RODC`,
    ]);
  });

  test('a China tenant: the steps select endpoint 1 first; left at Public the sign-in fails as a tenant of another cloud', async () => {
    const p = await start((estate) => {
      base(estate);
      estate.tenant.environment = 'China';
    });
    const created = await runStep(p, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, cloud: 'china' });
    expect(created.result.after).toMatchObject({ configured: true, consistent: true });
    expect((await runStep(p, getKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, cloud: 'china' })).result.cloudId).not.toBeNull();
    // The same process, now asked for the public cloud: the script sets the endpoint back to 0 and Entra does not know the tenant.
    const error = await bridgeFailure(runStep(p, getKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin }));
    expect(error.kind).toBe('AccessDenied');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("AADSTS90002: Tenant 'contoso.com' not found");
  });

  test('a US Government (DoD) tenant: endpoint 2', async () => {
    const p = await start((estate) => {
      base(estate);
      estate.tenant.environment = 'USGovDoD';
    });
    const created = await runStep(p, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, cloud: 'usgovernment' });
    expect(created.changed).toBe(true);
    const wrong = await bridgeFailure(runStep(p, getKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, cloud: 'china' }));
    expect(wrong.message).toContain('AADSTS90002');
  });

  test('an object another tenant created (AD half present, no cloud half here) is refused, non-retryable; takeOver overwrites it', async () => {
    const p = await start(seeded({ tenantId: OTHER_TENANT }, 'krbtgt_AzureAD', false));
    const error = await bridgeFailure(runStep(p, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin }));
    expect(error.kind).toBe('AccessDenied');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`the Azure AD Kerberos server object of ${DOMAIN} (id 4242) exists in AD but this tenant has no KerberosDomain for it: another tenant created it`);
    const planned = await bridgeFailure(runStep(p, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, planOnly: true }));
    expect(planned.kind).toBe('AccessDenied');
    expect((await lab.store.read()).mutations).toEqual({});

    const taken = await runStep(p, ensureKerberosServerStep, { domain: DOMAIN, cloudCredential: cloudAdmin, takeOver: true });
    expect(taken.result.after).toMatchObject({ configured: true, consistent: true });
    const estate = await lab.store.read();
    expect(estate.forests[0].domains[0].kerberosServer.ad?.objects?.tenantId).toBe(estate.tenant.id);
    expect(estate.forests[0].domains[0].kerberosServer.cloud).not.toBeNull();
  });
});
