import type { CommandSimulation } from '../types';
import { bindDomain, findDomain, requireWindowsPowerShell } from './domain';
import { kerberosServerObject } from './server-object';
import { signInToDomain, signInToEntra } from './sign-in';

const CLASS = 'GetAzureADKerberosServer';

/**
 * Get-AzureADKerberosServer -Domain (-CloudCredential | -UserPrincipalName) [-DomainCredential]: reads the object
 * from a DC of the domain and from Entra (how-to, "View and verify the Microsoft Entra Kerberos Server"). Reading
 * needs an Entra admin too (MicrosoftDocs/azure-docs#99883) but any AD identity of the domain.
 */
export const getKerberosServer: CommandSimulation = async (call, lab) => {
  requireWindowsPowerShell(call, lab, CLASS);
  const estate = await lab.read();
  const { domain, controller } = bindDomain(estate, call.get<string>('Domain')!, lab, CLASS, 'read');
  signInToDomain(call, lab, estate, domain, CLASS);
  signInToEntra(call, lab, estate, CLASS, 'GetKerberosDomainSyncConfigAsync');
  // Right after a Set, the DC locator may pick a DC the new objects have not reached (staleReadsAfterSet).
  const stale =
    domain.kerberosServer.staleReadsRemaining > 0 &&
    (await lab.update((current) => {
      const server = findDomain(current, domain.dnsName)!.kerberosServer;
      if (server.staleReadsRemaining <= 0) return false;
      server.staleReadsRemaining -= 1;
      return true;
    }));
  return [kerberosServerObject(lab, domain, controller, stale)];
};
