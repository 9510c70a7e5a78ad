import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateEstate } from '../../lab/estate/generate';
import { labEstateSchema, type LabEstate } from '../../lab/estate/schema';

function sample(name: 'default' | 'realistic'): LabEstate {
  const file = path.join(__dirname, '..', '..', 'lab', 'estates', `${name}.json`);
  const parsed = labEstateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${name}.json is invalid: ${JSON.stringify(parsed.error.issues, null, 2)}`);
  return parsed.data;
}

const domainsOf = (estate: LabEstate) => estate.forests.flatMap((f) => f.domains);
const controllersOf = (estate: LabEstate) => domainsOf(estate).flatMap((d) => d.controllers);
const OUTCOMES = ['cloud-trust', 'key-trust', 'not-provisioned', 'not-eligible'];

/** Sites of a forest whose DCs (across all its domains) are all read-only. */
function rodcOnlySites(estate: LabEstate): string[] {
  return estate.forests.flatMap((forest) =>
    forest.sites.filter((site) => {
      const dcs = forest.domains.flatMap((d) => d.controllers).filter((dc) => dc.site === site);
      return dcs.length > 0 && dcs.every((dc) => dc.isReadOnly);
    }),
  );
}

function expectConsistent(estate: LabEstate): void {
  for (const forest of estate.forests) {
    for (const domain of forest.domains) {
      for (const dc of domain.controllers) {
        expect(forest.sites).toContain(dc.site);
        expect(dc.hostName.endsWith(`.${domain.dnsName}`)).toBe(true);
      }
      for (const ou of domain.ous) expect(ou.distinguishedName.endsWith(domain.distinguishedName)).toBe(true);
    }
  }
  const domains = domainsOf(estate).map((d) => d.dnsName);
  for (const device of estate.devices) expect(domains).toContain(device.domain);
}

describe('sample estates', () => {
  test('default.json: the small demo estate', () => {
    const estate = sample('default');
    expectConsistent(estate);
    expect(domainsOf(estate).map((d) => d.dnsName)).toEqual(['corp.contoso.com', 'emea.corp.contoso.com']);
    const emea = domainsOf(estate)[1];
    expect(emea.controllers.filter((dc) => dc.site === 'Branch-Lyon').every((dc) => dc.isReadOnly)).toBe(true);
    for (const domain of domainsOf(estate)) {
      expect(domain.ous.map((ou) => ou.distinguishedName)).toContain(`OU=Workstations,${domain.distinguishedName}`);
      expect(domain.groups.map((g) => g.name)).toContain('WHfB-Devices');
    }
    expect(estate.tenant.admins).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userPrincipalName: 'hybrid-admin@contoso.com', mfaEnforced: false, entraRoles: ['Hybrid Identity Administrator'] }),
        expect.objectContaining({ mfaEnforced: true }),
        expect.objectContaining({ adGroups: expect.arrayContaining(['Domain Admins']) }),
      ]),
    );
    expect(new Set(estate.devices.map((d) => d.outcome))).toEqual(new Set(OUTCOMES));
    expect(estate.managementHost.modules.filter((m) => m.name === 'AzureADHybridAuthenticationManagement')).toEqual([]);
  });

  test('realistic.json: several forests and every awkward case the preflight must catch', () => {
    const estate = sample('realistic');
    expectConsistent(estate);
    expect(estate.forests.length).toBeGreaterThanOrEqual(2);
    expect(domainsOf(estate).length).toBeGreaterThanOrEqual(3);
    expect(rodcOnlySites(estate)).toEqual(['Oslo-Branch']);
    const dcs = controllersOf(estate);
    expect(dcs.some((dc) => dc.currentBuild === 14393 && dc.ubr < 3474)).toBe(true);
    expect(dcs.some((dc) => dc.currentBuild === 9600 && /2012 R2/.test(dc.operatingSystem))).toBe(true);
    expect(dcs.some((dc) => !dc.reachable)).toBe(true);
    expect(dcs.some((dc) => dc.supportedEncryptionTypes !== null && (dc.supportedEncryptionTypes & 0x10) === 0)).toBe(true);
    const certificateTrust = domainsOf(estate).filter((d) =>
      d.gpos.some((gpo) => gpo.registryValues.some((v) => v.valueName === 'UseCertificateForOnPremAuth' && v.value === 1)),
    );
    expect(certificateTrust.map((d) => d.dnsName)).toEqual(['fabrikam.com']);
    expect(domainsOf(estate).filter((d) => /channel: Intune/.test(d.notes ?? '')).map((d) => d.dnsName)).toEqual(['tailspintoys.com']);
    expect(new Set(estate.devices.map((d) => d.outcome))).toEqual(new Set(OUTCOMES));
    const delays = domainsOf(estate).flatMap((d) => Object.values(d.kerberosServer.replicationDelayOverrides));
    expect(Math.max(...delays)).toBeGreaterThanOrEqual(900);
  });
});

describe('generateEstate', () => {
  test('builds a valid estate of the requested size, the same every time', () => {
    const estate = generateEstate({ domains: 200, dcsPerDomain: 4, latencyMs: 25 });
    expect(labEstateSchema.safeParse(estate).success).toBe(true);
    expectConsistent(estate);
    expect(domainsOf(estate)).toHaveLength(200);
    expect(controllersOf(estate)).toHaveLength(800);
    expect(new Set(domainsOf(estate).map((d) => d.dnsName)).size).toBe(200);
    expect(new Set(controllersOf(estate).map((dc) => dc.hostName)).size).toBe(800);
    expect(estate.latencyMs).toBe(25);
    expect(rodcOnlySites(estate)).toEqual([]);
    expect(generateEstate({ domains: 200, dcsPerDomain: 4, latencyMs: 25 })).toEqual(estate);
  });

  test('small sizes and forest roots', () => {
    const estate = generateEstate({ domains: 1, dcsPerDomain: 1, latencyMs: 0 });
    expect(estate.forests).toHaveLength(1);
    expect(estate.forests[0].domains[0].dnsName).toBe(estate.forests[0].name);
    expect(() => generateEstate({ domains: 0, dcsPerDomain: 1, latencyMs: 0 })).toThrow(/domains/);
  });
});
