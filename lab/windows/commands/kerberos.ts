import { getKerberosServerEndpoint, setKerberosServerEndpoint } from './kerberos/endpoint';
import { getKerberosServer } from './kerberos/get';
import { removeKerberosServer } from './kerberos/remove';
import { setKerberosServer } from './kerberos/set';
import type { CommandSimulation } from './types';

/**
 * AzureADHybridAuthenticationManagement, as it behaves on Windows PowerShell 5.1 (the production baseline). Under
 * PowerShell 7 the real module, a .NET Framework module, fails ("Operation is not supported on this platform",
 * fidelity review row 4, catalog KdcPlatformNotSupported): the lab's processes are all PowerShell 7, so a call from
 * a process that stands for PowerShell 7 (CommandCall.edition Core) fails that way. The object's two halves live
 * in the estate (domain.kerberosServer.ad / .cloud).
 */
export const kerberosCommands: Record<string, CommandSimulation> = {
  'Get-AzureADKerberosServer': getKerberosServer,
  'Set-AzureADKerberosServer': setKerberosServer,
  'Remove-AzureADKerberosServer': removeKerberosServer,
  'Get-AzureADKerberosServerEndpoint': getKerberosServerEndpoint,
  'Set-AzureADKerberosServerEndpoint': setKerberosServerEndpoint,
};
