import type { CommandContext, LabObject } from '../types';
import { attribute, type AttributeValue, type DirectoryObject } from './directory';
import { rdns, rdnValue } from './names';

/**
 * Directory objects as the AD cmdlets write them: the type's default property set, plus what -Properties asks
 * for (an extended property of the object model, e.g. Members, CanonicalName, or an LDAP attribute by its display
 * name; '*' = every set attribute). A requested attribute that is not set on the object is left out, as the
 * module does. Property names are case-insensitive (ADPropertyCollection), so an attribute that repeats a default
 * property under another case (distinguishedName) is not added twice.
 */

export const AD = {
  object: 'Microsoft.ActiveDirectory.Management.ADObject',
  group: 'Microsoft.ActiveDirectory.Management.ADGroup',
  user: 'Microsoft.ActiveDirectory.Management.ADUser',
  computer: 'Microsoft.ActiveDirectory.Management.ADComputer',
  ou: 'Microsoft.ActiveDirectory.Management.ADOrganizationalUnit',
  principal: 'Microsoft.ActiveDirectory.Management.ADPrincipal',
} as const;

const structural = (object: DirectoryObject) => object.objectClass[object.objectClass.length - 1];
const text = (value: AttributeValue | undefined) => (value === undefined ? null : String(value));
const get = (object: DirectoryObject, name: string) => attribute(object, name)?.value;

/** userAccountControl bit 1 (ACCOUNTDISABLE), MS-ADTS §2.2.16. */
export const enabledOf = (object: DirectoryObject) => (Number(get(object, 'userAccountControl') ?? 0) & 2) === 0;

export function groupScopeOf(object: DirectoryObject): string | null {
  const type = Number(get(object, 'groupType') ?? 0);
  return type & 2 ? 'Global' : type & 4 ? 'DomainLocal' : type & 8 ? 'Universal' : null;
}

export const groupCategoryOf = (object: DirectoryObject) => ((Number(get(object, 'groupType') ?? 0) & 0x80000000) !== 0 ? 'Security' : 'Distribution');

/** CanonicalName (object model): domain DNS name, then the RDN values from the top, joined by /. */
export function canonicalName(object: DirectoryObject): string {
  const parts = rdns(object.distinguishedName);
  const dcs = parts.filter((p) => /^dc=/i.test(p)).map((p) => p.slice(3));
  const rest = parts.filter((p) => !/^dc=/i.test(p)).map((p) => rdnValue(p)).reverse();
  return [dcs.join('.'), ...rest].join('/');
}

/** The GPO DNs an OU's (or domain's) gPLink lists: LinkedGroupPolicyObjects. */
export function linkedGpos(object: DirectoryObject): string[] {
  const gpLink = String(get(object, 'gPLink') ?? '');
  return [...gpLink.matchAll(/\[LDAP:\/\/([^;\]]+);\d+\]/gi)].map((m) => m[1]);
}

/** Extended properties of the object model (about_ActiveDirectory_ObjectModel) by name -> how to read them. */
const EXTENDED: Record<string, (object: DirectoryObject) => unknown> = {
  CanonicalName: canonicalName,
  CN: (o) => get(o, 'cn'),
  Created: (o) => get(o, 'whenCreated'),
  Modified: (o) => get(o, 'whenChanged'),
  Deleted: () => undefined,
  Description: (o) => get(o, 'description'),
  DisplayName: (o) => get(o, 'displayName'),
  LastKnownParent: () => undefined,
  ObjectCategory: (o) => get(o, 'objectCategory'),
  ProtectedFromAccidentalDeletion: () => false,
  Members: (o) => get(o, 'member'),
  MemberOf: (o) => get(o, 'memberOf'),
  ManagedBy: (o) => get(o, 'managedBy'),
  HomePage: (o) => get(o, 'wWWHomePage'),
  ServicePrincipalNames: (o) => get(o, 'servicePrincipalName'),
  OperatingSystem: (o) => get(o, 'operatingSystem'),
  OperatingSystemVersion: (o) => get(o, 'operatingSystemVersion'),
  EmailAddress: (o) => get(o, 'mail'),
  SIDHistory: () => undefined,
  PasswordExpired: (o) => (o.objectClass.includes('user') ? (Number(get(o, 'msDS-User-Account-Control-Computed') ?? 0) & 0x800000) !== 0 : undefined),
  PasswordNeverExpires: (o) => (o.objectClass.includes('user') ? (Number(get(o, 'userAccountControl') ?? 0) & 0x10000) !== 0 : undefined),
};

/** How a property reads for -Filter: the object model's names first, then LDAP attributes. */
export function filterLookup(object: DirectoryObject) {
  return (property: string): Array<string | number | boolean> => {
    const key = property.toLowerCase();
    const single = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [v as string | number | boolean]);
    switch (key) {
      case 'objectclass':
        return object.objectClass;
      case 'samaccountname':
        return single(get(object, 'sAMAccountName'));
      case 'sid':
        return single(get(object, 'objectSid'));
      case 'enabled':
        return object.objectClass.includes('user') ? [enabledOf(object)] : [];
      case 'groupscope':
        return single(groupScopeOf(object));
      case 'groupcategory':
        return object.objectClass.includes('group') ? [groupCategoryOf(object)] : [];
    }
    const extended = Object.keys(EXTENDED).find((name) => name.toLowerCase() === key);
    if (extended) return single(EXTENDED[extended](object));
    return single(get(object, property));
  };
}

/** Typed values for the wire (int, string[], datetime, guid), so PowerShell re-creates an Int32, a String[], a DateTime, a Guid. */
function typed(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return { $t: Math.abs(value) > 2147483647 ? 'long' : 'int', v: value };
  if (Array.isArray(value)) return { $t: 'string[]', v: value.map(String) };
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return { $t: 'datetime', v: value };
  if (typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return { $t: 'guid', v: value };
  return value;
}

function defaults(type: string, object: DirectoryObject): Record<string, unknown> {
  const common = { DistinguishedName: object.distinguishedName, Name: text(get(object, 'name')), ObjectClass: structural(object), ObjectGUID: text(get(object, 'objectGUID')) };
  switch (type) {
    case AD.group:
      return { ...common, GroupCategory: groupCategoryOf(object), GroupScope: groupScopeOf(object), SamAccountName: text(get(object, 'sAMAccountName')), SID: text(get(object, 'objectSid')) };
    case AD.user:
      return {
        ...common,
        Enabled: enabledOf(object),
        GivenName: text(get(object, 'givenName')),
        SamAccountName: text(get(object, 'sAMAccountName')),
        SID: text(get(object, 'objectSid')),
        Surname: text(get(object, 'sn')),
        UserPrincipalName: text(get(object, 'userPrincipalName')),
      };
    case AD.computer:
      return {
        ...common,
        DNSHostName: text(get(object, 'dNSHostName')),
        Enabled: enabledOf(object),
        SamAccountName: text(get(object, 'sAMAccountName')),
        SID: text(get(object, 'objectSid')),
        UserPrincipalName: text(get(object, 'userPrincipalName')),
      };
    case AD.ou:
      return {
        ...common,
        City: text(get(object, 'l')),
        Country: text(get(object, 'c')),
        LinkedGroupPolicyObjects: linkedGpos(object),
        ManagedBy: text(get(object, 'managedBy')),
        PostalCode: text(get(object, 'postalCode')),
        State: text(get(object, 'st')),
        StreetAddress: text(get(object, 'street')),
      };
    case AD.principal:
      return {
        distinguishedName: object.distinguishedName,
        name: text(get(object, 'name')),
        objectClass: structural(object),
        objectGUID: text(get(object, 'objectGUID')),
        SamAccountName: text(get(object, 'sAMAccountName')),
        SID: text(get(object, 'objectSid')),
      };
    default:
      return common;
  }
}

export function toAdObject(lab: CommandContext, type: string, object: DirectoryObject, requested: string[] = []): LabObject {
  const props = defaults(type, object);
  const taken = new Set(Object.keys(props).map((k) => k.toLowerCase()));
  const put = (name: string, value: unknown) => {
    if (value === undefined || value === null || taken.has(name.toLowerCase())) return;
    taken.add(name.toLowerCase());
    props[name] = typed(value);
  };
  const all = requested.some((r) => r === '*');
  for (const name of requested) {
    if (name === '*') continue;
    const extended = Object.keys(EXTENDED).find((k) => k.toLowerCase() === name.toLowerCase());
    if (extended) put(extended, EXTENDED[extended](object));
    else {
      const found = attribute(object, name);
      if (found) put(found.name, found.value);
    }
  }
  if (all) {
    for (const [name, value] of Object.entries(object.attributes)) put(name, value);
    for (const [name, read] of Object.entries(EXTENDED)) put(name, read(object));
  }
  return lab.object(type, props, { requested });
}
