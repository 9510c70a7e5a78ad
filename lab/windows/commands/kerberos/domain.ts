import type { LabController, LabDomain, LabEstate } from '../../../estate/schema';
import type { CommandCall, CommandContext } from '../types';
import { moduleError } from './errors';

/** Host and domain names compare case-insensitively (DNS). */
export const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The domain the management host is joined to: the estate's first domain (as the ActiveDirectory simulation has it). */
export function homeDomain(estate: LabEstate): LabDomain {
  return estate.forests[0].domains[0];
}

export function findDomain(estate: LabEstate, dnsName: string): LabDomain | undefined {
  return estate.forests.flatMap((f) => f.domains).find((d) => sameName(d.dnsName, dnsName));
}

/**
 * The DC the cmdlet binds to (the DC locator's pick): the first reachable writable DC of -Domain; a read may use
 * an RODC when no writable DC answers. The module needs line of sight to a DC of the domain (how-to, "Install
 * the module"); without one every cmdlet fails before it signs in anywhere.
 */
export function bindDomain(estate: LabEstate, dnsName: string, lab: CommandContext, commandClass: string, purpose: 'read' | 'write'): { domain: LabDomain; controller: LabController } {
  const domain = findDomain(estate, dnsName);
  const writable = domain?.controllers.find((dc) => dc.reachable && !dc.isReadOnly);
  const controller = writable ?? (purpose === 'read' ? domain?.controllers.find((dc) => dc.reachable) : undefined);
  if (!domain || !controller) {
    moduleError(lab, 'KdcDomainControllerUnreachable', commandClass, 'ConnectToActiveDirectory', { innerMessage: 'The server is not operational.' });
  }
  return { domain, controller };
}

/**
 * The module is a .NET Framework module: loaded in PowerShell 7 its cmdlets fail before they do anything
 * (MicrosoftDocs/azure-docs#110070; catalog KdcPlatformNotSupported). Fidelity review row 4.
 */
export function requireWindowsPowerShell(call: CommandCall, lab: CommandContext, commandClass: string): void {
  if (call.edition === 'Core') moduleError(lab, 'KdcPlatformNotSupported', commandClass, 'GetKerberosDomainSyncConfigAsync');
}
