import { labEstateSchema, type LabEstate } from './schema';

export interface EstateSize {
  domains: number;
  dcsPerDomain: number;
  /** Added to every lab call (estate.latencyMs). */
  latencyMs: number;
}

/** How many domains share a forest: large estates are several forests, as they are in practice. */
const DOMAINS_PER_FOREST = 25;
const SITES = ['HQ', 'DR', 'Branch'];
const BUILDS = [
  { operatingSystem: 'Windows Server 2022 Datacenter', currentBuild: 20348, ubr: 2849 },
  { operatingSystem: 'Windows Server 2019 Datacenter', currentBuild: 17763, ubr: 6532 },
  { operatingSystem: 'Windows Server 2025 Datacenter', currentBuild: 26100, ubr: 2314 },
];

const pad = (n: number, width = 3) => String(n).padStart(width, '0');
const distinguishedName = (dnsName: string) => dnsName.split('.').map((label) => `DC=${label}`).join(',');

/**
 * A large, uniform, healthy estate for scale runs: `domains` domains of `dcsPerDomain` patched, writable DCs
 * spread over the sites, each domain with a Workstations OU and a WHfB-Devices group, a ready management host.
 * Deterministic: the same size always gives the same estate.
 */
export function generateEstate(size: EstateSize): LabEstate {
  if (!Number.isInteger(size.domains) || size.domains < 1) throw new Error(`domains must be a positive integer, got ${size.domains}`);
  if (!Number.isInteger(size.dcsPerDomain) || size.dcsPerDomain < 1) throw new Error(`dcsPerDomain must be a positive integer, got ${size.dcsPerDomain}`);
  const forestCount = Math.ceil(size.domains / DOMAINS_PER_FOREST);
  const forests = Array.from({ length: forestCount }, (_, f) => {
    const root = `f${pad(f + 1, 2)}.lab.contoso.com`;
    const count = Math.min(DOMAINS_PER_FOREST, size.domains - f * DOMAINS_PER_FOREST);
    const domains = Array.from({ length: count }, (_, d) => {
      const index = f * DOMAINS_PER_FOREST + d + 1;
      const dnsName = d === 0 ? root : `d${pad(index)}.${root}`;
      const dn = distinguishedName(dnsName);
      return {
        dnsName,
        netBiosName: `D${pad(index)}`,
        distinguishedName: dn,
        controllers: Array.from({ length: size.dcsPerDomain }, (_, c) => ({
          hostName: `dc${pad(c + 1, 2)}.${dnsName}`,
          site: SITES[c % SITES.length],
          ...BUILDS[(index + c) % BUILDS.length],
        })),
        ous: [
          { distinguishedName: `OU=Workstations,${dn}`, name: 'Workstations' },
          { distinguishedName: `OU=Groups,${dn}`, name: 'Groups' },
        ],
        groups: [{ name: 'WHfB-Devices', distinguishedName: `CN=WHfB-Devices,OU=Groups,${dn}` }],
        kerberosServer: { replicationDelaySeconds: 5 },
      };
    });
    const sites = SITES.slice(0, Math.min(SITES.length, size.dcsPerDomain));
    return { name: root, sites, domains };
  });
  return labEstateSchema.parse({
    name: `generated-${size.domains}x${size.dcsPerDomain}`,
    tenant: {
      id: '00000000-0000-4000-8000-000000000001',
      displayName: 'Generated lab tenant',
      verifiedDomains: ['contoso.com'],
      admins: [
        { userPrincipalName: 'hybrid-admin@contoso.com', password: 'lab-Generated-Adm1n', mfaEnforced: false, entraRoles: ['Hybrid Identity Administrator'] },
        { userPrincipalName: 'ad-admin@contoso.com', password: 'lab-Generated-AD-Adm1n', mfaEnforced: false, adGroups: ['Domain Admins', 'Enterprise Admins'] },
      ],
    },
    forests,
    managementHost: {
      modules: [{ name: 'AzureADHybridAuthenticationManagement', version: '2.4.71.0' }],
      nugetProviderVersion: '2.8.5.208',
      psGalleryTrusted: true,
      tls12ByDefault: true,
    },
    latencyMs: size.latencyMs,
  });
}
