import type { LabController, LabDomain, LabForest } from '../../../estate/schema';
import type { CommandContext, CommandSimulation } from '../types';
import { matchesAdFilter } from './ad-filter';
import { connect, findDomain, homeDomain } from './connection';
import { configurationDn, controllerName } from './directory';
import { failWith } from './errors';
import { sameText, stableGuid } from './names';
import { adFilterOf, identityText } from './search';
import { ipv4Of, isGlobalCatalog, partitionsOf, pdcOf, rolesOf, serverObjectDn } from './topology';

/**
 * Get-ADDomainController: the DCs of the server's domain (-Filter, over the ADDomainController properties), one
 * DC by -Identity (name, DNS host name, GUID; without -Identity, the DC the cmdlet talks to), or the DC locator's
 * pick (-Discover with -DomainName, -Service, -SiteName, -Writable, -NextClosestSite). The list is directory
 * data: a DC that is down is still listed. The AzureADKerberos computer object of cloud Kerberos trust has no
 * server or NTDS Settings object, so it is not a domain controller here (whether the real cmdlet lists it is
 * not documented; the catalog's note).
 */

const TYPE = 'Microsoft.ActiveDirectory.Management.ADDomainController';

function properties(forest: LabForest, domain: LabDomain, dc: LabController): Record<string, unknown> {
  const name = controllerName(dc);
  const server = serverObjectDn(forest, dc);
  return {
    ComputerObjectDN: `CN=${name},OU=Domain Controllers,${domain.distinguishedName}`,
    DefaultPartition: domain.distinguishedName,
    Domain: domain.dnsName,
    Enabled: true,
    Forest: forest.name,
    HostName: dc.hostName,
    InvocationId: stableGuid(`invocation|${dc.hostName}`),
    IPv4Address: ipv4Of(domain, dc),
    IPv6Address: null,
    IsGlobalCatalog: isGlobalCatalog(dc),
    IsReadOnly: dc.isReadOnly,
    LdapPort: 389,
    Name: name,
    NTDSSettingsObjectDN: `CN=NTDS Settings,${server}`,
    OperatingSystem: dc.operatingSystem,
    OperatingSystemHotfix: null,
    OperatingSystemServicePack: null,
    OperatingSystemVersion: `10.0 (${dc.currentBuild})`,
    OperationMasterRoles: rolesOf(forest, domain, dc),
    Partitions: partitionsOf(forest, domain),
    ServerObjectDN: server,
    ServerObjectGuid: stableGuid(`server|${dc.hostName}|${configurationDn(forest)}`),
    Site: dc.site,
    SslPort: 636,
  };
}

const toObject = (lab: CommandContext, forest: LabForest, domain: LabDomain, dc: LabController) => lab.object(TYPE, properties(forest, domain, dc));

export const getADDomainController: CommandSimulation = async (call, lab) => {
  const estate = await lab.read();
  if (call.parameterSet === 'DiscoverByService') {
    const named = call.get<string>('DomainName');
    const target = named ? findDomain(estate, named) : homeDomain(estate);
    if (!target) failWith(call, lab, 'ADDefaultServerNotFound');
    const services = (call.get<string[]>('Service') ?? []).map((s) => s.toLowerCase());
    let candidates = target.domain.controllers.filter(
      (dc) =>
        dc.reachable &&
        (!call.get<boolean>('Writable') || !dc.isReadOnly) &&
        (!services.includes('primarydc') || dc === pdcOf(target.domain)) &&
        (!services.includes('globalcatalog') || isGlobalCatalog(dc)),
    );
    const site = call.get<string>('SiteName');
    if (site) {
      const inSite = candidates.filter((dc) => sameText(dc.site, site));
      candidates = inSite.length > 0 || !call.get<boolean>('NextClosestSite') ? inSite : candidates;
    }
    if (candidates.length === 0) failWith(call, lab, 'ADDefaultServerNotFound');
    return [toObject(lab, target.forest, target.domain, candidates[0])];
  }
  const connection = connect(call, lab, estate);
  const { forest, domain } = connection;
  if (call.parameterSet === 'Filter') {
    const node = adFilterOf(call, lab);
    return domain.controllers
      .map((dc) => properties(forest, domain, dc))
      .filter((props) =>
        matchesAdFilter(node, (property) => {
          const key = Object.keys(props).find((k) => k.toLowerCase() === property.toLowerCase());
          const value = key === undefined ? undefined : props[key];
          return value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [value as string | number | boolean];
        }),
      )
      .map((props) => lab.object(TYPE, props));
  }
  if (!call.has('Identity')) return [toObject(lab, forest, domain, connection.controller)];
  const identity = identityText(call.get('Identity'));
  const dc = domain.controllers.find(
    (c) => sameText(c.hostName, identity) || sameText(controllerName(c), identity) || sameText(stableGuid(`server|${c.hostName}|${configurationDn(forest)}`), identity.replace(/^\{|\}$/g, '')),
  );
  if (!dc) failWith(call, lab, 'ADIdentityNotFound', { identity, partition: domain.distinguishedName });
  return [toObject(lab, forest, domain, dc)];
};
