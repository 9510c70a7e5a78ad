import type { CommandSimulation } from '../types';
import { bindDomain } from './domain';
import { kerberosServerObject } from './server-object';
import { signInToDomain, signInToEntra } from './sign-in';

const CLASS = 'GetAzureADKerberosServer';

/**
 * Get-AzureADKerberosServer -Domain (-CloudCredential | -UserPrincipalName) [-DomainCredential]: reads the object
 * from a DC of the domain and from Entra (how-to, "View and verify the Microsoft Entra Kerberos Server"). Reading
 * needs an Entra admin too (MicrosoftDocs/azure-docs#99883) but any AD identity of the domain.
 */
export const getKerberosServer: CommandSimulation = async (call, lab) => {
  const estate = await lab.read();
  const { domain, controller } = bindDomain(estate, call.get<string>('Domain')!, lab, CLASS, 'read');
  signInToDomain(call, lab, estate, domain, CLASS);
  signInToEntra(call, lab, estate, CLASS, 'GetKerberosDomainSyncConfigAsync');
  return [kerberosServerObject(lab, domain, controller)];
};
