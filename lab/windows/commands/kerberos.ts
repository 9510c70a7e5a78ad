import { getKerberosServer } from './kerberos/get';
import { removeKerberosServer } from './kerberos/remove';
import { setKerberosServer } from './kerberos/set';
import type { CommandSimulation } from './types';

/**
 * AzureADHybridAuthenticationManagement, as it behaves on Windows PowerShell 5.1 (the production baseline). The
 * lab runs the scripts in PowerShell 7, where the real module, a .NET Framework module, fails ("Operation is not
 * supported on this platform", fidelity review row 4, catalog KdcPlatformNotSupported); the lab does not simulate
 * that failure. The object's two halves live in the estate (domain.kerberosServer.ad / .cloud).
 */
export const kerberosCommands: Record<string, CommandSimulation> = {
  'Get-AzureADKerberosServer': getKerberosServer,
  'Set-AzureADKerberosServer': setKerberosServer,
  'Remove-AzureADKerberosServer': removeKerberosServer,
};
