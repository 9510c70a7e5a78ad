import type { CommandCall, CommandContext, CommandSimulation } from '../types';
import { AdFilterError, matchesAdFilter, parseAdFilter, type AdFilterNode } from './ad-filter';
import { connect, directoryOf } from './connection';
import { attribute, type Directory, type DirectoryObject } from './directory';
import { failWith } from './errors';
import { LdapFilterError, matchesLdap, parseLdapFilter } from './ldap-filter';
import { dnKey, isUnder, parentDn, sameText } from './names';
import { AD, filterLookup, toAdObject } from './objects';

/**
 * Get-ADObject, Get-ADGroup, Get-ADUser, Get-ADComputer, Get-ADOrganizationalUnit: one object by -Identity, or a
 * search (-Filter / -LDAPFilter) under -SearchBase (default: the domain) with -SearchScope (default Subtree) and
 * -ResultSetSize. A search that finds nothing writes nothing; an -Identity that matches nothing is
 * ADIdentityNotFound; a -SearchBase that does not exist is "Directory object not found" (docs, catalog notes).
 */

export interface Kind {
  type: string;
  /** The objects this cmdlet returns (Get-ADUser: users that are not computers, as its (objectCategory=person) filter). */
  accepts: (object: DirectoryObject) => boolean;
  /** Identity forms besides DN and GUID (docs per cmdlet). */
  bySamAccountName: boolean;
  bySid: boolean;
}

export const KINDS: Record<string, Kind> = {
  'Get-ADObject': { type: AD.object, accepts: () => true, bySamAccountName: false, bySid: false },
  'Get-ADGroup': { type: AD.group, accepts: (o) => o.objectClass.includes('group'), bySamAccountName: true, bySid: true },
  'Get-ADUser': { type: AD.user, accepts: (o) => o.objectClass.includes('user') && !o.objectClass.includes('computer'), bySamAccountName: true, bySid: true },
  'Get-ADComputer': { type: AD.computer, accepts: (o) => o.objectClass.includes('computer'), bySamAccountName: true, bySid: true },
  'Get-ADOrganizationalUnit': { type: AD.ou, accepts: (o) => o.objectClass.includes('organizationalUnit'), bySamAccountName: false, bySid: false },
};

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** An -Identity value as text: a string as given, an AD object by its DistinguishedName (or ObjectGUID). */
export function identityText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'props' in value) {
    const props = (value as { props: Record<string, unknown> }).props;
    const dn = Object.entries(props).find(([k]) => k.toLowerCase() === 'distinguishedname')?.[1];
    const guid = Object.entries(props).find(([k]) => k.toLowerCase() === 'objectguid')?.[1];
    return String(dn ?? guid ?? '');
  }
  return String(value ?? '');
}

export function resolveIdentity(directory: Directory, kind: Kind, identity: string): DirectoryObject | undefined {
  const candidates = directory.objects.filter(kind.accepts);
  const guid = GUID.exec(identity);
  if (guid) return candidates.find((o) => sameText(String(attribute(o, 'objectGUID')?.value ?? ''), guid[1]));
  if (identity.includes('=')) return candidates.find((o) => dnKey(o.distinguishedName) === dnKey(identity));
  if (kind.bySid && /^S-1-/i.test(identity)) return candidates.find((o) => sameText(String(attribute(o, 'objectSid')?.value ?? ''), identity));
  if (kind.bySamAccountName) {
    return candidates.find((o) => {
      const sam = String(attribute(o, 'sAMAccountName')?.value ?? '');
      return sameText(sam, identity) || (o.objectClass.includes('computer') && sameText(sam, `${identity}$`));
    });
  }
  return undefined;
}

function inScope(object: DirectoryObject, base: string, scope: string): boolean {
  if (scope === 'base') return dnKey(object.distinguishedName) === dnKey(base);
  if (scope === 'onelevel') return parentDn(object.distinguishedName) !== null && dnKey(parentDn(object.distinguishedName)!) === dnKey(base);
  return isUnder(object.distinguishedName, base);
}

/** The -Filter of the call, parsed; a syntax error is the documented ADFilterParsingException. */
export function adFilterOf(call: CommandCall, lab: CommandContext): AdFilterNode {
  const filter = call.get<string>('Filter') ?? '';
  try {
    return parseAdFilter(filter);
  } catch (error) {
    if (error instanceof AdFilterError) failWith(call, lab, 'ADFilterParsing', { filter, reason: error.reason, position: error.position });
    throw error;
  }
}

export function matching(call: CommandCall, lab: CommandContext, directory: Directory, accepts: (o: DirectoryObject) => boolean): DirectoryObject[] {
  const base = call.get<string>('SearchBase') ?? directory.domain.distinguishedName;
  if (!directory.find(base)) failWith(call, lab, 'ADDirectoryObjectNotFound');
  const scope = (call.get<string>('SearchScope') ?? 'Subtree').toLowerCase();
  let test: (object: DirectoryObject) => boolean;
  if (call.has('LDAPFilter')) {
    let node: ReturnType<typeof parseLdapFilter>;
    try {
      node = parseLdapFilter(call.get<string>('LDAPFilter') ?? '');
    } catch (error) {
      if (error instanceof LdapFilterError) failWith(call, lab, 'ADLdapFilterInvalid');
      throw error;
    }
    test = (o) => matchesLdap(node, o);
  } else {
    const node = adFilterOf(call, lab);
    test = (o) => matchesAdFilter(node, filterLookup(o));
  }
  const found = directory.objects.filter((o) => inScope(o, base, scope) && accepts(o) && test(o));
  const limit = call.get<number>('ResultSetSize');
  return limit && limit > 0 ? found.slice(0, limit) : found;
}

function searchCommand(kind: Kind): CommandSimulation {
  return async (call, lab) => {
    const connection = connect(call, lab, await lab.read());
    const directory = directoryOf(connection, lab);
    const requested = call.get<string[]>('Properties') ?? [];
    if (call.parameterSet === 'Identity') {
      const identity = identityText(call.get('Identity'));
      const found = resolveIdentity(directory, kind, identity);
      if (!found) failWith(call, lab, 'ADIdentityNotFound', { identity, partition: directory.domain.distinguishedName });
      return [toAdObject(lab, kind.type, found, requested)];
    }
    return matching(call, lab, directory, kind.accepts).map((o) => toAdObject(lab, kind.type, o, requested));
  };
}

export const searchCommands: Record<string, CommandSimulation> = Object.fromEntries(Object.entries(KINDS).map(([name, kind]) => [name, searchCommand(kind)]));
