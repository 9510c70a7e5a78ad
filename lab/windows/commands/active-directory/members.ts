import type { CommandSimulation } from '../types';
import { matchesAdFilter } from './ad-filter';
import { connect, directoryOf, locate } from './connection';
import { buildDirectory, configurationDn, type Directory, type DirectoryObject } from './directory';
import { failWith } from './errors';
import { isUnder, sameText, stableGuid } from './names';
import { AD, toAdObject } from './objects';
import { adFilterOf, identityText, KINDS, resolveIdentity } from './search';

/**
 * Get-ADGroupMember: the members of a group as ADPrincipal objects (docs); -Recursive returns the leaf members of
 * nested groups, not the groups. Members from another domain of the forest are read from that domain.
 */
export const getADGroupMember: CommandSimulation = async (call, lab) => {
  const connection = connect(call, lab, await lab.read());
  const directory = directoryOf(connection, lab);
  const identity = identityText(call.get('Identity'));
  const group = resolveIdentity(directory, KINDS['Get-ADGroup'], identity);
  if (!group) failWith(call, lab, 'ADIdentityNotFound', { identity, partition: directory.domain.distinguishedName });
  const directories = new Map<string, Directory>([[directory.domain.dnsName, directory]]);
  const lookup = (dn: string): DirectoryObject | undefined => {
    // The deepest domain naming context that holds the DN (a child domain's objects are under its parent's DN too).
    const domain = [...connection.forest.domains].sort((a, b) => b.distinguishedName.length - a.distinguishedName.length).find((d) => isUnder(dn, d.distinguishedName));
    if (!domain) return undefined;
    let view = directories.get(domain.dnsName);
    if (!view) {
      const controller = locate(domain) ?? domain.controllers[0];
      view = buildDirectory(connection.estate, connection.forest, domain, controller, lab.now());
      directories.set(domain.dnsName, view);
    }
    return view.find(dn);
  };
  const recursive = call.get<boolean>('Recursive') === true;
  const seen = new Set<string>();
  const out: DirectoryObject[] = [];
  const visit = (of: DirectoryObject) => {
    const members = (of.attributes.member as string[] | undefined) ?? [];
    for (const dn of members) {
      const member = lookup(dn);
      if (!member || seen.has(member.distinguishedName.toLowerCase())) continue;
      seen.add(member.distinguishedName.toLowerCase());
      if (recursive && member.objectClass.includes('group')) visit(member);
      else out.push(member);
    }
  };
  visit(group);
  return out.map((member) => toAdObject(lab, AD.principal, member));
};

/** Get-ADReplicationSite: the forest's sites (CN=<site>,CN=Sites,CN=Configuration,...); without -Identity the local computer's site. */
export const getADReplicationSite: CommandSimulation = async (call, lab) => {
  const connection = connect(call, lab, await lab.read());
  const type = 'Microsoft.ActiveDirectory.Management.ADReplicationSite';
  const site = (name: string) =>
    lab.object(type, { DistinguishedName: `CN=${name},CN=Sites,${configurationDn(connection.forest)}`, Name: name, ObjectClass: 'site', ObjectGUID: stableGuid(`site|${connection.forest.name}|${name}`) });
  if (call.parameterSet === 'Filter') {
    const node = adFilterOf(call, lab);
    return connection.forest.sites.filter((name) => matchesAdFilter(node, (p) => (sameText(p, 'Name') ? [name] : sameText(p, 'ObjectClass') ? ['site'] : []))).map(site);
  }
  if (!call.has('Identity')) return [site(connection.controller.site)];
  const identity = identityText(call.get('Identity'));
  const name = connection.forest.sites.find((s) => sameText(s, identity) || sameText(`CN=${s},CN=Sites,${configurationDn(connection.forest)}`, identity));
  if (!name) failWith(call, lab, 'ADIdentityNotFound', { identity, partition: configurationDn(connection.forest) });
  return [site(name)];
};
