import type { LabAdmin, LabEstate } from '../../../estate/schema';
import type { WireCredential } from '../types';
import { findDomain, type LabComputer } from './computers';

/**
 * Who a remoting connection authenticates as: the -Credential account, or (without one) the account the bridge
 * runs as. An AD account is an estate admin whose UPN suffix is the DNS name of its domain (or DOMAIN\user with
 * that domain's NetBIOS name); anything else cannot sign in to a domain computer.
 */
export type RemotingAccount =
  | { kind: 'process'; groups: string[] }
  | { kind: 'domain-user'; admin: LabAdmin; domainDnsName: string; forestName: string };

const DEFAULT_PROCESS_GROUPS = ['Domain Admins', 'Enterprise Admins'];

export function remotingAccount(estate: LabEstate, credential: WireCredential | undefined): RemotingAccount | 'logon-failure' {
  if (!credential) return { kind: 'process', groups: estate.managementHost.adGroups ?? DEFAULT_PROCESS_GROUPS };
  const { userName, password } = credential;
  let admin: LabAdmin | undefined;
  let domainDnsName: string | undefined;
  if (userName.includes('\\')) {
    const [netBios, sam] = userName.split('\\', 2);
    const domain = estate.forests.flatMap((f) => f.domains).find((d) => d.netBiosName.toLowerCase() === netBios.toLowerCase());
    admin = domain && estate.tenant.admins.find((a) => a.userPrincipalName.toLowerCase() === `${sam}@${domain.dnsName}`.toLowerCase());
    domainDnsName = domain?.dnsName;
  } else if (userName.includes('@')) {
    admin = estate.tenant.admins.find((a) => a.userPrincipalName.toLowerCase() === userName.toLowerCase());
    domainDnsName = userName.slice(userName.indexOf('@') + 1);
  }
  const home = domainDnsName ? findDomain(estate, domainDnsName) : undefined;
  if (!admin || !home || admin.password !== password) return 'logon-failure';
  return { kind: 'domain-user', admin, domainDnsName: home.domain.dnsName, forestName: home.forest.name };
}

/**
 * Whether the account may use the default endpoint (members of the computer's Administrators group): on a DC the
 * domain's BUILTIN\Administrators (its Domain Admins and the forest's Enterprise Admins), on a member computer the
 * local Administrators (the Domain Admins of the computer's domain, added at join).
 */
export function isAdministrator(account: RemotingAccount, computer: LabComputer): boolean {
  if (account.kind === 'process') return account.groups.some((g) => DEFAULT_PROCESS_GROUPS.includes(g));
  if (computer.kind === 'management-host' || !computer.domain) return false;
  const groups = account.admin.adGroups;
  const sameDomain = account.domainDnsName.toLowerCase() === computer.domain.dnsName.toLowerCase();
  const sameForest = computer.forest !== undefined && account.forestName.toLowerCase() === computer.forest.name.toLowerCase();
  const rootAccount = account.domainDnsName.toLowerCase() === account.forestName.toLowerCase();
  if (sameDomain && groups.includes('Domain Admins')) return true;
  return computer.kind === 'controller' && sameForest && rootAccount && groups.includes('Enterprise Admins');
}

/** Whether the account's domain can authenticate to the computer (same forest; forest trusts are not modelled). */
export function canAuthenticate(account: RemotingAccount, computer: LabComputer): boolean {
  if (account.kind === 'process' || computer.kind === 'management-host') return true;
  return computer.forest !== undefined && account.forestName.toLowerCase() === computer.forest.name.toLowerCase();
}
