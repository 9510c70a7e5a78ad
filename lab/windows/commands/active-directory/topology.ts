import type { LabController, LabDomain, LabForest } from '../../../estate/schema';
import { configurationDn, controllerName } from './directory';
import { dnKey, sameText, stableGuid, stableNumber } from './names';
import { rootDomain } from './principals';

/**
 * Facts of the forest's topology the estate implies: the operation masters (the first writable DC of a domain
 * holds its PDC emulator, RID and infrastructure master roles; that of the root domain also the schema and domain
 * naming master roles), the DCs' server objects under CN=Sites, their partitions and addresses.
 */

export function pdcOf(domain: LabDomain): LabController {
  return domain.controllers.find((dc) => !dc.isReadOnly) ?? domain.controllers[0];
}

export function rolesOf(forest: LabForest, domain: LabDomain, controller: LabController): string[] {
  if (controller !== pdcOf(domain)) return [];
  const roles = ['PDCEmulator', 'RIDMaster', 'InfrastructureMaster'];
  if (domain === rootDomain(forest)) roles.push('SchemaMaster', 'DomainNamingMaster');
  return roles;
}

export const isGlobalCatalog = (controller: LabController) => controller.isGlobalCatalog !== false;

export function forestOfDomain(forests: LabForest[], domain: LabDomain): LabForest {
  return forests.find((f) => f.domains.includes(domain))!;
}

/** Directory partitions a DC of the domain holds (naming contexts and the DNS application partitions). */
export function partitionsOf(forest: LabForest, domain: LabDomain): string[] {
  const root = rootDomain(forest).distinguishedName;
  return [domain.distinguishedName, configurationDn(forest), `CN=Schema,${configurationDn(forest)}`, `DC=DomainDnsZones,${domain.distinguishedName}`, `DC=ForestDnsZones,${root}`];
}

export function serverObjectDn(forest: LabForest, controller: LabController): string {
  return `CN=${controllerName(controller)},CN=Servers,CN=${controller.site},CN=Sites,${configurationDn(forest)}`;
}

/** A stable private address per DC (the estate does not model addressing). */
export function ipv4Of(domain: LabDomain, controller: LabController): string {
  const index = domain.controllers.indexOf(controller);
  return `10.${1 + stableNumber(domain.dnsName, 250)}.${1 + stableNumber(controller.site, 250)}.${10 + index}`;
}

export const childDomains = (forest: LabForest, domain: LabDomain) => forest.domains.filter((d) => d !== domain && d.dnsName.toLowerCase().endsWith(`.${domain.dnsName.toLowerCase()}`) && !d.dnsName.slice(0, -domain.dnsName.length - 1).includes('.'));

export function parentDomain(forest: LabForest, domain: LabDomain): LabDomain | undefined {
  return forest.domains.find((d) => childDomains(forest, d).includes(domain));
}

export const domainGuid = (domain: LabDomain) => stableGuid(`${domain.dnsName}|${dnKey(domain.distinguishedName)}`);

export const sameDomain = (a: LabDomain, b: LabDomain) => sameText(a.dnsName, b.dnsName);
