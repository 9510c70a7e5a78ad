import type { LabController, LabDomain, LabEstate, LabForest, LabGpo } from '../../../estate/schema';
import { dnKey, parentDn, rdnValue, sameDn, sameText, stableGuid } from './names';
import { generatedGroupDn, replicationPolicyOf, rodcGroupMembers, tokenGroupsOf, userAttributes, userDn, usersIn } from './accounts';
import { kerberosDirectoryEntries } from './kerberos-objects';
import { BUILTIN_RIDS, DOMAIN_RIDS, ROOT_ONLY, domainSid, principalSid, rootDomain } from './principals';

/**
 * The directory of one domain, derived from the estate in one place: the domain head, its well-known containers,
 * the OUs, the groups (built-in and the estate's), the users (built-in accounts, the estate's admins whose UPN
 * suffix is the domain, krbtgt_AzureAD), the computers (the DCs, AzureADKerberos, the sample devices and group
 * members), the Kerberos server's serviceConnectionPoint (active-directory/kerberos-objects.ts) and the GPO containers. Attributes carry their LDAP display names (MS-ADA1..3).
 *
 * It is the view of one DC: the Azure AD Kerberos objects a key update wrote on one DC reach the others after the
 * estate's replication delay (kerberosServer.replicationDelaySeconds / replicationDelayOverrides); until then a DC
 * shows the previous key version, or no objects at all after a first creation.
 */

export type AttributeValue = string | number | boolean | string[];

export interface DirectoryObject {
  distinguishedName: string;
  /** objectClass values, most general first (top ... the structural class). */
  objectClass: string[];
  /** LDAP display name -> value; names as the schema spells them, looked up case-insensitively. */
  attributes: Record<string, AttributeValue>;
}

export interface Directory {
  forest: LabForest;
  domain: LabDomain;
  controller: LabController;
  objects: DirectoryObject[];
  find(dn: string): DirectoryObject | undefined;
}

/** Fixed creation time of the objects the estate does not date (the lab's "forest creation"). */
const CREATED = '2019-05-14T09:00:00.000Z';

export const CLASSES = {
  domain: ['top', 'domain', 'domainDNS'],
  container: ['top', 'container'],
  ou: ['top', 'organizationalUnit'],
  group: ['top', 'group'],
  user: ['top', 'person', 'organizationalPerson', 'user'],
  computer: ['top', 'person', 'organizationalPerson', 'user', 'computer'],
  gpo: ['top', 'container', 'groupPolicyContainer'],
  builtinDomain: ['top', 'builtinDomain'],
};

/** objectCategory of each structural class (the defaultObjectCategory of its schema class). */
const CATEGORIES: Record<string, string> = {
  domainDNS: 'Domain-DNS',
  container: 'Container',
  organizationalUnit: 'Organizational-Unit',
  group: 'Group',
  user: 'Person',
  computer: 'Computer',
  groupPolicyContainer: 'Group-Policy-Container',
  builtinDomain: 'Builtin-Domain',
  serviceConnectionPoint: 'Service-Connection-Point',
};

/** groupType flags (MS-ADTS §2.2.12): security + scope. */
const GROUP_TYPE: Record<string, number> = { Global: -2147483646, DomainLocal: -2147483644, Universal: -2147483640, BuiltinLocal: -2147483643 };

/** userAccountControl (MS-ADTS §2.2.16): NORMAL_ACCOUNT, ACCOUNTDISABLE, WORKSTATION_TRUST, SERVER_TRUST, TRUSTED_FOR_DELEGATION, PARTIAL_SECRETS. */
const UAC = { user: 0x200, disabledUser: 0x202, workstation: 0x1000, dc: 0x82000, rodc: 0x5001000 };

export function configurationDn(forest: LabForest): string {
  return `CN=Configuration,${rootDomain(forest).distinguishedName}`;
}

/** The DC's short name, as its computer object and server object are named (upper case, as dcpromo creates them). */
export const controllerName = (controller: LabController) => controller.hostName.split('.')[0].toUpperCase();

/** The GPO container's DN: CN={GUID},CN=Policies,CN=System,<domain> (GUID upper case, as GPMC creates it). */
export const gpoDn = (domain: LabDomain, gpo: LabGpo) => `CN={${gpo.id.toUpperCase()}},CN=Policies,CN=System,${domain.distinguishedName}`;

/**
 * gPLink of a domain or OU (MS-GPOL §2.2.2): [LDAP://cn={GUID},cn=policies,cn=system,<domain>;options] per link,
 * options bit 0 = disabled, bit 1 = enforced. The entries run from the highest link order number down to link
 * order 1, which comes last (catalog: ADObject gPLinkOrder).
 */
export function gpLinkOf(domain: LabDomain, target: string): string | undefined {
  const links = domain.gpos.flatMap((gpo) => gpo.links.filter((link) => sameDn(link.target, target)).map((link) => ({ gpo, link })));
  if (links.length === 0) return undefined;
  links.sort((a, b) => b.link.order - a.link.order);
  return links
    .map(({ gpo, link }) => `[LDAP://cn={${gpo.id.toUpperCase()}},cn=policies,cn=system,${domain.distinguishedName};${(link.enabled ? 0 : 1) | (link.enforced ? 2 : 0)}]`)
    .join('');
}

/** What this DC shows of the Azure AD Kerberos objects now: the key version, or null when they have not reached it. */
export function kerberosVersionOn(domain: LabDomain, controller: LabController, now: Date): number | null {
  const { ad, replicationDelaySeconds, replicationDelayOverrides } = domain.kerberosServer;
  if (!ad) return null;
  const override = Object.entries(replicationDelayOverrides).find(([host]) => sameText(host, controller.hostName))?.[1];
  const delay = sameText(ad.keyUpdatedFrom, controller.hostName) ? 0 : (override ?? replicationDelaySeconds);
  const visible = now.getTime() >= new Date(ad.keyUpdatedOn).getTime() + delay * 1000;
  return visible ? ad.keyVersion : ad.previousKeyVersion;
}

/** The estate's admins that are accounts of this domain (their UPN suffix is the domain's DNS name). */
export function domainAccounts(estate: LabEstate, domain: LabDomain) {
  return estate.tenant.admins.filter((admin) => sameText(admin.userPrincipalName.slice(admin.userPrincipalName.indexOf('@') + 1), domain.dnsName));
}

export function buildDirectory(estate: LabEstate, forest: LabForest, domain: LabDomain, controller: LabController, now: Date): Directory {
  const objects: DirectoryObject[] = [];
  const keys = new Set<string>();
  const root = rootDomain(forest);
  const schema = `CN=Schema,${configurationDn(forest)}`;
  const base = domain.distinguishedName;
  const add = (dn: string, objectClass: string[], attributes: Record<string, AttributeValue | undefined>) => {
    if (keys.has(dnKey(dn))) return;
    keys.add(dnKey(dn));
    const structural = objectClass[objectClass.length - 1];
    const rdnType = dn.slice(0, dn.indexOf('=')).toLowerCase();
    const all: Record<string, AttributeValue | undefined> = {
      distinguishedName: dn,
      name: rdnValue(dn),
      [rdnType === 'ou' ? 'ou' : rdnType === 'dc' ? 'dc' : 'cn']: rdnValue(dn),
      objectClass,
      objectCategory: `CN=${CATEGORIES[structural] ?? 'Container'},${schema}`,
      objectGUID: stableGuid(`${domain.dnsName}|${dnKey(dn)}`),
      whenCreated: CREATED,
      whenChanged: CREATED,
      ...attributes,
    };
    objects.push({ distinguishedName: dn, objectClass, attributes: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, AttributeValue> });
  };
  const linkable = (dn: string) => ({ gPLink: gpLinkOf(domain, dn) });

  add(base, CLASSES.domain, { objectSid: domainSid(domain), ...linkable(base) });
  for (const cn of ['Users', 'Computers', 'System', 'ForeignSecurityPrincipals', 'Program Data']) add(`CN=${cn},${base}`, CLASSES.container, {});
  add(`CN=Policies,CN=System,${base}`, CLASSES.container, {});
  const dcOu = `OU=Domain Controllers,${base}`;
  add(dcOu, CLASSES.ou, linkable(dcOu));
  for (const ou of domain.ous) add(ou.distinguishedName, CLASSES.ou, linkable(ou.distinguishedName));

  for (const gpo of domain.gpos) {
    const flags = { AllSettingsEnabled: 0, UserSettingsDisabled: 1, ComputerSettingsDisabled: 2, AllSettingsDisabled: 3 }[gpo.status];
    add(gpoDn(domain, gpo), CLASSES.gpo, {
      displayName: gpo.displayName,
      gPCFileSysPath: `\\\\${domain.dnsName}\\SysVol\\${domain.dnsName}\\Policies\\{${gpo.id.toUpperCase()}}`,
      flags,
      versionNumber: ((gpo.userVersion ?? 0) << 16) + (gpo.computerVersion ?? 0),
    });
  }

  // Users: the built-in accounts, the estate's admins of this domain, and krbtgt_AzureAD where it has replicated.
  const users = `CN=Users,${base}`;
  const accountDn = (sam: string) => `CN=${sam},${users}`;
  add(accountDn('Administrator'), CLASSES.user, { sAMAccountName: 'Administrator', objectSid: principalSid(forest, domain, 'Administrator'), userAccountControl: UAC.user });
  add(accountDn('krbtgt'), CLASSES.user, { sAMAccountName: 'krbtgt', objectSid: principalSid(forest, domain, 'krbtgt'), userAccountControl: UAC.disabledUser });
  const accounts = domainAccounts(estate, domain);
  for (const admin of accounts) {
    const sam = admin.userPrincipalName.slice(0, admin.userPrincipalName.indexOf('@'));
    add(accountDn(sam), CLASSES.user, { sAMAccountName: sam, userPrincipalName: admin.userPrincipalName, objectSid: principalSid(forest, domain, sam), userAccountControl: UAC.user });
  }
  for (const user of domain.users) {
    add(userDn(domain, user), CLASSES.user, userAttributes(forest, domain, user));
    for (let n = 1; n <= user.generatedGroups; n += 1) {
      const dn = generatedGroupDn(domain, user, n);
      add(dn, CLASSES.group, { sAMAccountName: rdnValue(dn), groupType: GROUP_TYPE.Global, objectSid: principalSid(forest, domain, rdnValue(dn)), member: [userDn(domain, user)] });
    }
  }
  const kerberosVersion = kerberosVersionOn(domain, controller, now);
  const kerberos = domain.kerberosServer.ad;
  const kerberosEntries = kerberos && kerberosVersion !== null ? kerberosDirectoryEntries(forest, domain, kerberosVersion) : [];
  const policy = kerberos ? replicationPolicyOf(domain) : undefined;
  for (const entry of kerberosEntries) {
    // The AzureADKerberos computer carries its password replication policy (msDS-RevealOnDemandGroup / msDS-NeverRevealGroup).
    const prp = policy && entry.distinguishedName === kerberos!.computerAccount ? { 'msDS-RevealOnDemandGroup': policy.allowed, 'msDS-NeverRevealGroup': policy.denied } : {};
    add(entry.distinguishedName, entry.objectClass, { ...entry.attributes, ...prp });
  }

  // Computers: the DCs in OU=Domain Controllers, the AzureADKerberos pseudo-RODC, the sample devices and group members.
  for (const dc of domain.controllers) {
    const name = controllerName(dc);
    add(`CN=${name},${dcOu}`, CLASSES.computer, {
      sAMAccountName: `${name}$`,
      dNSHostName: dc.hostName,
      objectSid: principalSid(forest, domain, `${name}$`),
      userAccountControl: dc.isReadOnly ? UAC.rodc : UAC.dc,
      primaryGroupID: dc.isReadOnly ? 521 : 516,
      operatingSystem: dc.operatingSystem,
      operatingSystemVersion: `10.0 (${dc.currentBuild})`,
    });
  }
  const memberDns = domain.groups.flatMap((g) => g.members);
  for (const device of estate.devices.filter((d) => sameText(d.domain, domain.dnsName))) {
    const dn = memberDns.find((m) => sameText(rdnValue(m), device.name) && m.toUpperCase().startsWith('CN=')) ?? `CN=${device.name},CN=Computers,${base}`;
    add(dn, CLASSES.computer, {
      sAMAccountName: `${device.name}$`,
      dNSHostName: `${device.name.toLowerCase()}.${domain.dnsName}`,
      objectSid: principalSid(forest, domain, `${device.name}$`),
      userAccountControl: UAC.workstation,
      primaryGroupID: 515,
    });
  }
  // A group can only hold objects that exist: members the estate names without a device stand for computers.
  for (const dn of memberDns) {
    if (domain.groups.some((g) => sameDn(g.distinguishedName, dn))) continue;
    const parent = parentDn(dn);
    if (!parent || !keys.has(dnKey(parent))) continue;
    const name = rdnValue(dn);
    add(dn, CLASSES.computer, { sAMAccountName: `${name}$`, objectSid: principalSid(forest, domain, `${name}$`), userAccountControl: UAC.workstation, primaryGroupID: 515 });
  }

  // Groups: the estate's, then the built-in groups it does not name (in CN=Users, as a new domain has them).
  for (const group of domain.groups) {
    add(group.distinguishedName, CLASSES.group, {
      sAMAccountName: group.name,
      groupType: GROUP_TYPE[group.scope],
      objectSid: principalSid(forest, domain, group.name),
      member: group.members.length + usersIn(domain, group.name).length > 0 ? [...group.members, ...usersIn(domain, group.name)] : undefined,
    });
  }
  const admins = (group: string, domains: LabDomain[]) =>
    domains.flatMap((d) => domainAccounts(estate, d).filter((a) => a.adGroups.some((g) => sameText(g, group))).map((a) => `CN=${a.userPrincipalName.slice(0, a.userPrincipalName.indexOf('@'))},CN=Users,${d.distinguishedName}`));
  const builtinMembers: Record<string, string[]> = {
    'Domain Admins': [accountDn('Administrator'), ...admins('Domain Admins', [domain])],
    'Domain Controllers': [],
    'Read-only Domain Controllers': kerberosEntries.filter((e) => e.objectClass.includes('computer')).map((e) => e.distinguishedName),
    'Enterprise Admins': [`CN=Administrator,CN=Users,${root.distinguishedName}`, ...admins('Enterprise Admins', forest.domains)],
    'Schema Admins': [`CN=Administrator,CN=Users,${root.distinguishedName}`],
    'Group Policy Creator Owners': [accountDn('Administrator')],
    ...rodcGroupMembers(forest, domain),
  };
  for (const name of Object.keys(DOMAIN_RIDS)) {
    if (name === 'Administrator' || name === 'krbtgt') continue;
    if (ROOT_ONLY.has(name) && domain !== root) continue;
    if (domain.groups.some((g) => sameText(g.name, name))) continue;
    const members = [...(builtinMembers[name] ?? []), ...usersIn(domain, name)];
    add(accountDn(name), CLASSES.group, {
      sAMAccountName: name,
      groupType: ROOT_ONLY.has(name) ? GROUP_TYPE.Universal : name === 'Cert Publishers' || name.endsWith('RODC Password Replication Group') ? GROUP_TYPE.DomainLocal : GROUP_TYPE.Global,
      objectSid: principalSid(forest, domain, name),
      member: members.length > 0 ? members : undefined,
    });
  }

  add(`CN=Builtin,${base}`, CLASSES.builtinDomain, {});
  for (const name of Object.keys(BUILTIN_RIDS)) {
    if (domain.groups.some((g) => sameText(g.name, name))) continue;
    const members = [...(builtinMembers[name] ?? []), ...usersIn(domain, name)];
    add(`CN=${name},CN=Builtin,${base}`, CLASSES.group, { sAMAccountName: name, groupType: GROUP_TYPE.BuiltinLocal, objectSid: principalSid(forest, domain, name), member: members.length > 0 ? members : undefined });
  }

  // memberOf is the back link of member (MS-ADTS §3.1.1.2.2.4): computed over this domain's groups.
  const groupsOf = new Map<string, string[]>();
  for (const group of objects.filter((g) => g.objectClass.includes('group'))) {
    for (const member of new Set(((group.attributes.member as string[] | undefined) ?? []).map(dnKey))) {
      const of = groupsOf.get(member);
      if (of) of.push(group.distinguishedName);
      else groupsOf.set(member, [group.distinguishedName]);
    }
  }
  for (const object of objects) {
    const of = groupsOf.get(dnKey(object.distinguishedName)) ?? [];
    if (of.length > 0) object.attributes.memberOf = of;
  }
  const lowerDns = new Map(objects.map((o) => [o.distinguishedName.toLowerCase(), o]));
  const domainUsers = lowerDns.get(`cn=domain users,cn=users,${base}`.toLowerCase());
  for (const object of objects.filter((o) => o.objectClass.includes('user') && !o.objectClass.includes('computer'))) {
    // Every account has these; the built-in and admin accounts get a password set when the forest was created.
    object.attributes.primaryGroupID ??= 513;
    object.attributes.pwdLastSet ??= (new Date(CREATED).getTime() + 11_644_473_600_000) * 10_000;
    object.attributes.tokenGroups = tokenGroupsOf(object, lowerDns, domainUsers);
  }

  const byDn = new Map(objects.map((o) => [dnKey(o.distinguishedName), o]));
  return { forest, domain, controller, objects, find: (dn) => byDn.get(dnKey(dn)) };
}

/** An attribute by LDAP display name, case-insensitively: its stored name and value. */
export function attribute(object: DirectoryObject, name: string): { name: string; value: AttributeValue } | undefined {
  const wanted = name.toLowerCase();
  const key = Object.keys(object.attributes).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : { name: key, value: object.attributes[key] };
}
