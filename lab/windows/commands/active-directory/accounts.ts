import type { LabDomain, LabForest } from '../../../estate/schema';
import type { LabReplicationPolicy, LabUser } from '../../../estate/accounts-schema';
import type { AttributeValue, DirectoryObject } from './directory';
import { sameText } from './names';
import { principalSid, rootDomain } from './principals';

/**
 * The estate's user accounts as directory objects, the groups a new domain has for RODCs, and the password
 * replication policy of the AzureADKerberos object. Attributes carry their LDAP display names (MS-ADA1..3).
 */

/** userAccountControl flags (MS-ADTS §2.2.16): ACCOUNTDISABLE, NORMAL_ACCOUNT, DONT_EXPIRE_PASSWORD. */
const UF = { disabled: 0x2, normal: 0x200, dontExpire: 0x10000 };
/** msDS-User-Account-Control-Computed UF_PASSWORD_EXPIRED (MS-ADTS §3.1.1.4.5.17): also set while pwdLastSet is 0. */
const UF_PASSWORD_EXPIRED = 0x800000;
/** The Windows FILETIME of an instant (100 ns since 1601-01-01 UTC), as pwdLastSet stores it. */
const fileTime = (iso: string) => (new Date(iso).getTime() + 11_644_473_600_000) * 10_000;

export const userDn = (domain: LabDomain, user: LabUser) => `CN=${user.samAccountName},CN=Users,${domain.distinguishedName}`;
export const generatedGroupDn = (domain: LabDomain, user: LabUser, n: number) => `CN=${user.samAccountName} group ${n},CN=Users,${domain.distinguishedName}`;

export function userAttributes(forest: LabForest, domain: LabDomain, user: LabUser): Record<string, AttributeValue> {
  const uac = UF.normal | (user.enabled ? 0 : UF.disabled) | (user.passwordNeverExpires ? UF.dontExpire : 0);
  const expired = user.passwordLastSet === null || (user.passwordExpired && !user.passwordNeverExpires);
  return {
    sAMAccountName: user.samAccountName,
    userPrincipalName: user.userPrincipalName ?? `${user.samAccountName}@${domain.dnsName}`,
    objectSid: principalSid(forest, domain, user.samAccountName),
    userAccountControl: uac,
    'msDS-User-Account-Control-Computed': expired ? UF_PASSWORD_EXPIRED : 0,
    primaryGroupID: 513,
    pwdLastSet: user.passwordLastSet === null ? 0 : fileTime(user.passwordLastSet),
  };
}

/** The DNs of the estate's users who are direct members of the group of this name. */
export function usersIn(domain: LabDomain, groupName: string): string[] {
  return domain.users.filter((u) => u.memberOf.some((g) => sameText(g, groupName))).map((u) => userDn(domain, u));
}

/**
 * Members of the groups a domain gets for RODCs (docs "Password Replication Policy Administration": the Denied
 * RODC Password Replication Group holds Domain Admins, Enterprise Admins, Schema Admins, Cert Publishers, Group
 * Policy Creator Owners, krbtgt, Domain Controllers and Read-only Domain Controllers; Allowed starts empty) and of
 * the built-in Administrators (Administrator, Domain Admins, Enterprise Admins).
 */
export function rodcGroupMembers(forest: LabForest, domain: LabDomain): Record<string, string[]> {
  const root = rootDomain(forest).distinguishedName;
  const users = `CN=Users,${domain.distinguishedName}`;
  return {
    'Denied RODC Password Replication Group': [
      `CN=Domain Admins,${users}`,
      `CN=Enterprise Admins,CN=Users,${root}`,
      `CN=Schema Admins,CN=Users,${root}`,
      `CN=Cert Publishers,${users}`,
      `CN=Group Policy Creator Owners,${users}`,
      `CN=krbtgt,${users}`,
      `CN=Domain Controllers,${users}`,
      `CN=Read-only Domain Controllers,${users}`,
    ],
    'Allowed RODC Password Replication Group': [],
    Administrators: [`CN=Administrator,${users}`, `CN=Domain Admins,${users}`, `CN=Enterprise Admins,CN=Users,${root}`],
  };
}

/**
 * The policy Set-AzureADKerberosServer gives the object it creates. Microsoft documents that the object "appears as
 * a Read Only Domain Controller (RODC) object" whose rules keep privileged built-in groups out, and that users must
 * be members of Domain Users: the lab gives it the RODC default (denied: Denied RODC Password Replication Group,
 * Account Operators, Server Operators, Backup Operators, Administrators; allowed: Allowed RODC Password Replication
 * Group) plus Domain Users on the allowed list (inferred from that requirement, not documented as such).
 */
export function defaultReplicationPolicy(domain: LabDomain): LabReplicationPolicy {
  const users = `CN=Users,${domain.distinguishedName}`;
  const builtin = `CN=Builtin,${domain.distinguishedName}`;
  return {
    allowed: [`CN=Allowed RODC Password Replication Group,${users}`, `CN=Domain Users,${users}`],
    denied: [`CN=Denied RODC Password Replication Group,${users}`, `CN=Account Operators,${builtin}`, `CN=Server Operators,${builtin}`, `CN=Backup Operators,${builtin}`, `CN=Administrators,${builtin}`],
  };
}

export function replicationPolicyOf(domain: LabDomain): LabReplicationPolicy {
  return domain.kerberosServer.passwordReplicationPolicy ?? defaultReplicationPolicy(domain);
}

/**
 * tokenGroups (MS-ADA3), a constructed attribute: the SIDs of the security groups the user is in, transitively,
 * with the primary group. The lab computes it over the domain's own groups; Windows returns it only on a base-scope
 * read (Get-ADUser -Identity), the lab on any read that asks for it.
 */
export function tokenGroupsOf(user: DirectoryObject, byDn: Map<string, DirectoryObject>, primary: DirectoryObject | undefined): string[] {
  const seen = new Set<string>();
  const sids = new Set<string>(primary ? [String(primary.attributes.objectSid)] : []);
  const visit = (object: DirectoryObject) => {
    for (const dn of (object.attributes.memberOf as string[] | undefined) ?? []) {
      if (seen.has(dn.toLowerCase())) continue;
      seen.add(dn.toLowerCase());
      const group = byDn.get(dn.toLowerCase());
      if (!group) continue;
      if ((Number(group.attributes.groupType ?? 0) & 0x80000000) !== 0) sids.add(String(group.attributes.objectSid));
      visit(group);
    }
  };
  visit(user);
  if (primary) visit(primary);
  return [...sids];
}
