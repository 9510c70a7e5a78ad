import type { LabDomain, LabForest } from '../../../estate/schema';
import { sameText, stableNumber } from './names';

/**
 * Security identifiers of the estate's principals. The estate stores names only, so SIDs are derived: a stable
 * domain SID per domain, the well-known RIDs of the built-in accounts and groups (MS-DTYP §2.4.2.4), and a stable
 * RID from 1100 up for everything else.
 */

export interface WellKnownPrincipal {
  name: string;
  sid: string;
  /** NetBIOS-style authority the name resolves under. */
  authority: 'NT AUTHORITY' | 'BUILTIN' | '';
}

/** Well-known SIDs (MS-DTYP §2.4.2.4). */
export const WELL_KNOWN: WellKnownPrincipal[] = [
  { name: 'Authenticated Users', sid: 'S-1-5-11', authority: 'NT AUTHORITY' },
  { name: 'SYSTEM', sid: 'S-1-5-18', authority: 'NT AUTHORITY' },
  { name: 'ENTERPRISE DOMAIN CONTROLLERS', sid: 'S-1-5-9', authority: 'NT AUTHORITY' },
  { name: 'Everyone', sid: 'S-1-1-0', authority: '' },
  { name: 'CREATOR OWNER', sid: 'S-1-3-0', authority: '' },
  { name: 'Administrators', sid: 'S-1-5-32-544', authority: 'BUILTIN' },
];

/** Relative ids of the accounts and groups every domain has (MS-DTYP §2.4.2.4); * = forest root domain only. */
export const DOMAIN_RIDS: Record<string, number> = {
  Administrator: 500,
  krbtgt: 502,
  'Domain Admins': 512,
  'Domain Users': 513,
  'Domain Guests': 514,
  'Domain Computers': 515,
  'Domain Controllers': 516,
  'Cert Publishers': 517,
  'Schema Admins': 518,
  'Enterprise Admins': 519,
  'Group Policy Creator Owners': 520,
  'Read-only Domain Controllers': 521,
  'Allowed RODC Password Replication Group': 571,
  'Denied RODC Password Replication Group': 572,
};
/** The built-in domain local groups of CN=Builtin that an RODC's default policy denies (S-1-5-32-<rid>, MS-DTYP §2.4.2.4). */
export const BUILTIN_RIDS: Record<string, number> = {
  Administrators: 544,
  'Account Operators': 548,
  'Server Operators': 549,
  'Backup Operators': 551,
};
export const ROOT_ONLY = new Set(['Schema Admins', 'Enterprise Admins']);

export function domainSid(domain: LabDomain): string {
  return `S-1-5-21-${stableNumber(`${domain.dnsName}#1`, 4_000_000_000)}-${stableNumber(`${domain.dnsName}#2`, 4_000_000_000)}-${stableNumber(`${domain.dnsName}#3`, 4_000_000_000)}`;
}

export function rootDomain(forest: LabForest): LabDomain {
  return forest.domains.find((d) => sameText(d.dnsName, forest.name)) ?? forest.domains[0];
}

/** The SID of a domain principal by its sAMAccountName (a computer's ends with $). */
export function principalSid(forest: LabForest, domain: LabDomain, samAccountName: string): string {
  const local = Object.keys(BUILTIN_RIDS).find((name) => sameText(name, samAccountName));
  if (local) return `S-1-5-32-${BUILTIN_RIDS[local]}`;
  const builtin = Object.keys(DOMAIN_RIDS).find((name) => sameText(name, samAccountName));
  if (builtin) return `${domainSid(ROOT_ONLY.has(builtin) ? rootDomain(forest) : domain)}-${DOMAIN_RIDS[builtin]}`;
  return `${domainSid(domain)}-${1100 + stableNumber(samAccountName, 1_000_000)}`;
}

export function wellKnown(name: string): WellKnownPrincipal | undefined {
  const bare = name.includes('\\') ? name.slice(name.indexOf('\\') + 1) : name;
  return WELL_KNOWN.find((p) => sameText(p.name, bare));
}
