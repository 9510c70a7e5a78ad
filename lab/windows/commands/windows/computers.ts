import type { LabController, LabDevice, LabDomain, LabEstate, LabForest } from '../../../estate/schema';

/**
 * The computers of the estate as remoting and the remote commands see them: the domain controllers (by host name
 * or, when unique, by short name), the sample devices (by name or name.domain) and the management host itself.
 */
export type LabComputer =
  | { kind: 'controller'; id: string; fqdn: string; forest: LabForest; domain: LabDomain; controller: LabController; reachable: boolean }
  | { kind: 'device'; id: string; fqdn: string; forest: LabForest | undefined; domain: LabDomain | undefined; device: LabDevice; reachable: boolean }
  | { kind: 'management-host'; id: string; fqdn: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const shortName = (name: string) => name.split('.')[0];

export function findDomain(estate: LabEstate, dnsName: string): { forest: LabForest; domain: LabDomain } | undefined {
  for (const forest of estate.forests) {
    const domain = forest.domains.find((d) => same(d.dnsName, dnsName));
    if (domain) return { forest, domain };
  }
  return undefined;
}

/** Names that reach the management host itself (loopback remoting). */
const LOCAL_NAMES = new Set(['.', 'localhost', '127.0.0.1', '::1', '[::1]']);

/** Resolves a computer name as DNS (with the domain suffix search list) would; undefined when no computer has it. */
export function findComputer(estate: LabEstate, given: string): LabComputer | undefined {
  const name = given.trim().replace(/\.$/, '');
  if (LOCAL_NAMES.has(name.toLowerCase()) || same(shortName(name), shortName(estate.managementHost.hostName))) {
    return { kind: 'management-host', id: estate.managementHost.hostName, fqdn: estate.managementHost.hostName };
  }
  const controllers = estate.forests.flatMap((forest) => forest.domains.flatMap((domain) => domain.controllers.map((controller) => ({ forest, domain, controller }))));
  const byHost = controllers.find((c) => same(c.controller.hostName, name));
  const byShort = name.includes('.') ? [] : controllers.filter((c) => same(shortName(c.controller.hostName), name));
  const dc = byHost ?? (byShort.length === 1 ? byShort[0] : undefined);
  if (dc) return { kind: 'controller', id: dc.controller.hostName, fqdn: dc.controller.hostName, forest: dc.forest, domain: dc.domain, controller: dc.controller, reachable: dc.controller.reachable };
  const devices = estate.devices.filter((d) => same(d.name, name) || same(`${d.name}.${d.domain}`, name));
  if (devices.length !== 1) return undefined;
  const device = devices[0];
  const home = findDomain(estate, device.domain);
  return { kind: 'device', id: device.name, fqdn: `${device.name}.${device.domain}`, forest: home?.forest, domain: home?.domain, device, reachable: device.reachable };
}
