import type { LabDomain, LabEstate, LabForest } from '../../../estate/schema';
import type { CommandContext, CommandSimulation } from '../types';
import { connect, locate } from './connection';
import { gpLinkOf } from './directory';
import { failWith } from './errors';
import { sameText } from './names';
import { domainSid, rootDomain } from './principals';
import { identityText } from './search';
import { childDomains, domainGuid, isGlobalCatalog, parentDomain, pdcOf } from './topology';

/**
 * Get-ADDomain: the domain of the server it talks to (Current set), or the domain -Identity names (DNS name,
 * NetBIOS name, DN, GUID or SID) in that server's forest; reading another domain of the forest needs one of that
 * domain's DCs. Get-ADForest: the server's forest, or the forest -Identity names (its root domain's DNS or NetBIOS
 * name, or one of its DCs). Every property is returned; neither cmdlet has -Properties (docs).
 */

const ADDOMAIN = 'Microsoft.ActiveDirectory.Management.ADDomain';
const ADFOREST = 'Microsoft.ActiveDirectory.Management.ADForest';

function domainIdentified(forest: LabForest, identity: string): LabDomain | undefined {
  const bare = identity.replace(/^\{|\}$/g, '');
  return forest.domains.find(
    (d) =>
      sameText(d.dnsName, identity) ||
      sameText(d.netBiosName, identity) ||
      sameText(d.distinguishedName.replace(/,\s+/g, ','), identity.replace(/,\s+/g, ',')) ||
      sameText(domainSid(d), identity) ||
      sameText(domainGuid(d), bare),
  );
}

export function adDomainObject(lab: CommandContext, forest: LabForest, domain: LabDomain) {
  const dn = domain.distinguishedName;
  const pdc = pdcOf(domain).hostName;
  const gpLink = gpLinkOf(domain, dn) ?? '';
  return lab.object(ADDOMAIN, {
    AllowedDNSSuffixes: [],
    ChildDomains: childDomains(forest, domain).map((d) => d.dnsName),
    ComputersContainer: `CN=Computers,${dn}`,
    DeletedObjectsContainer: `CN=Deleted Objects,${dn}`,
    DistinguishedName: dn,
    DNSRoot: domain.dnsName,
    DomainControllersContainer: `OU=Domain Controllers,${dn}`,
    DomainMode: domain.functionalLevel,
    DomainSID: domainSid(domain),
    ForeignSecurityPrincipalsContainer: `CN=ForeignSecurityPrincipals,${dn}`,
    Forest: forest.name,
    InfrastructureMaster: pdc,
    LastLogonReplicationInterval: null,
    LinkedGroupPolicyObjects: [...gpLink.matchAll(/\[LDAP:\/\/([^;\]]+);\d+\]/gi)].map((m) => m[1]),
    LostAndFoundContainer: `CN=LostAndFound,${dn}`,
    ManagedBy: null,
    Name: domain.dnsName.split('.')[0],
    NetBIOSName: domain.netBiosName,
    ObjectClass: 'domainDNS',
    ObjectGUID: domainGuid(domain),
    ParentDomain: parentDomain(forest, domain)?.dnsName ?? null,
    PDCEmulator: pdc,
    QuotasContainer: `CN=NTDS Quotas,${dn}`,
    ReadOnlyReplicaDirectoryServers: domain.controllers.filter((dc) => dc.isReadOnly).map((dc) => dc.hostName),
    ReplicaDirectoryServers: domain.controllers.filter((dc) => !dc.isReadOnly).map((dc) => dc.hostName),
    RIDMaster: pdc,
    SubordinateReferences: [`DC=DomainDnsZones,${dn}`, ...(domain === rootDomain(forest) ? [`DC=ForestDnsZones,${dn}`, `CN=Configuration,${dn}`] : [])],
    SystemsContainer: `CN=System,${dn}`,
    UsersContainer: `CN=Users,${dn}`,
  });
}

export const getADDomain: CommandSimulation = async (call, lab) => {
  const connection = connect(call, lab, await lab.read());
  if (call.parameterSet !== 'Identity') return [adDomainObject(lab, connection.forest, connection.domain)];
  const identity = identityText(call.get('Identity'));
  const domain = domainIdentified(connection.forest, identity);
  if (!domain) failWith(call, lab, 'ADIdentityNotFound', { identity, partition: connection.domain.distinguishedName });
  if (domain !== connection.domain && !locate(domain)) failWith(call, lab, 'ADServerDown');
  return [adDomainObject(lab, connection.forest, domain)];
};

function forestIdentified(estate: LabEstate, identity: string): LabForest | undefined {
  return estate.forests.find((forest) => {
    const root = rootDomain(forest);
    return sameText(forest.name, identity) || sameText(root.netBiosName, identity) || forest.domains.some((d) => d.controllers.some((dc) => sameText(dc.hostName, identity)));
  });
}

export function adForestObject(lab: CommandContext, forest: LabForest) {
  const root = rootDomain(forest);
  const masters = pdcOf(root).hostName;
  const sorted = (values: string[]) => [...values].sort((a, b) => a.localeCompare(b));
  return lab.object(ADFOREST, {
    ApplicationPartitions: [...forest.domains.map((d) => `DC=DomainDnsZones,${d.distinguishedName}`), `DC=ForestDnsZones,${root.distinguishedName}`],
    CrossForestReferences: [],
    DomainNamingMaster: masters,
    Domains: sorted(forest.domains.map((d) => d.dnsName)),
    ForestMode: root.functionalLevel.replace(/Domain$/, 'Forest'),
    GlobalCatalogs: forest.domains.flatMap((d) => d.controllers.filter(isGlobalCatalog).map((dc) => dc.hostName)),
    Name: forest.name,
    PartitionsContainer: `CN=Partitions,CN=Configuration,${root.distinguishedName}`,
    RootDomain: root.dnsName,
    SchemaMaster: masters,
    Sites: [...forest.sites],
    SPNSuffixes: [],
    UPNSuffixes: [],
  });
}

export const getADForest: CommandSimulation = async (call, lab) => {
  const estate = await lab.read();
  const connection = connect(call, lab, estate);
  if (call.parameterSet !== 'Identity') return [adForestObject(lab, connection.forest)];
  const identity = identityText(call.get('Identity'));
  const forest = forestIdentified(estate, identity);
  if (!forest) failWith(call, lab, 'ADIdentityNotFound', { identity, partition: connection.domain.distinguishedName });
  if (forest !== connection.forest && !forest.domains.some((d) => locate(d))) failWith(call, lab, 'ADServerDown');
  return [adForestObject(lab, forest)];
};
