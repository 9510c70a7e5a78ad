import type { LabController, LabDomain, LabEstate, LabForest } from '../../../estate/schema';
import type { CommandCall, CommandContext, WireCredential } from '../types';
import { buildDirectory, type Directory } from './directory';
import { failWith } from './errors';
import { sameText } from './names';

/**
 * Which domain controller an ActiveDirectory cmdlet talks to (AD Web Services), per its -Server parameter
 * (docs, every AD cmdlet: "Fully qualified domain name, NetBIOS name, fully qualified directory server name,
 * NetBIOS name of a directory server", optionally with a port; without it the domain of the local computer),
 * and as whom (-Credential: "a user name, such as User1 or Domain01\User01", or a PSCredential).
 */

export interface AdConnection {
  estate: LabEstate;
  forest: LabForest;
  domain: LabDomain;
  controller: LabController;
}

/** The domain the lab's management host is joined to: the estate's first domain. */
export function homeDomain(estate: LabEstate): { forest: LabForest; domain: LabDomain } {
  return { forest: estate.forests[0], domain: estate.forests[0].domains[0] };
}

export function findDomain(estate: LabEstate, name: string): { forest: LabForest; domain: LabDomain } | undefined {
  for (const forest of estate.forests) {
    const domain = forest.domains.find((d) => sameText(d.dnsName, name) || sameText(d.netBiosName, name));
    if (domain) return { forest, domain };
  }
  return undefined;
}

export function findController(estate: LabEstate, name: string): { forest: LabForest; domain: LabDomain; controller: LabController } | undefined {
  for (const forest of estate.forests) {
    for (const domain of forest.domains) {
      const controller = domain.controllers.find((dc) => sameText(dc.hostName, name) || sameText(dc.hostName.split('.')[0], name));
      if (controller) return { forest, domain, controller };
    }
  }
  return undefined;
}

/** The DC locator's pick for a domain: a reachable writable DC, else a reachable RODC (reads only need one). */
export function locate(domain: LabDomain): LabController | undefined {
  return domain.controllers.find((dc) => dc.reachable && !dc.isReadOnly) ?? domain.controllers.find((dc) => dc.reachable);
}

export function connect(call: CommandCall, lab: CommandContext, estate: LabEstate): AdConnection {
  const given = call.get<string>('Server');
  const server = given?.trim().replace(/:\d+$/, '');
  let connection: AdConnection;
  if (!server) {
    const { forest, domain } = homeDomain(estate);
    const controller = locate(domain);
    if (!controller) failWith(call, lab, 'ADDefaultServerNotFound');
    connection = { estate, forest, domain, controller };
  } else {
    const byHost = findController(estate, server);
    if (byHost) {
      if (!byHost.controller.reachable) failWith(call, lab, 'ADServerDown');
      connection = { estate, ...byHost };
    } else {
      const byDomain = findDomain(estate, server);
      if (!byDomain) failWith(call, lab, 'ADServerDown');
      const controller = locate(byDomain.domain);
      if (!controller) failWith(call, lab, 'ADDefaultServerNotFound');
      connection = { estate, ...byDomain, controller };
    }
  }
  authenticate(call, lab, connection);
  return connection;
}

/**
 * -Credential: a UPN, DOMAIN\user or a bare user name of an account the estate knows (its admins; see
 * directory.ts), with that account's password. The AD module authenticates with Negotiate over ADWS, so both
 * name forms work; a wrong password or an unknown account fails as AuthenticationException.
 */
function authenticate(call: CommandCall, lab: CommandContext, connection: AdConnection): void {
  const credential = call.get<WireCredential>('Credential');
  if (!credential) return;
  const { userName, password } = credential;
  const admins = connection.estate.tenant.admins;
  let account;
  if (userName.includes('@')) {
    account = admins.find((a) => sameText(a.userPrincipalName, userName));
  } else {
    const [netbios, sam] = userName.includes('\\') ? userName.split('\\', 2) : [connection.domain.netBiosName, userName];
    const domain = findDomain(connection.estate, netbios)?.domain;
    account = domain ? admins.find((a) => sameText(a.userPrincipalName, `${sam}@${domain.dnsName}`)) : undefined;
  }
  if (!account || account.password !== password) failWith(call, lab, 'ADAuthenticationFailed');
}

/** The directory of the connected DC's domain, as that DC sees it now. */
export function directoryOf(connection: AdConnection, lab: CommandContext): Directory {
  return buildDirectory(connection.estate, connection.forest, connection.domain, connection.controller, lab.now());
}
