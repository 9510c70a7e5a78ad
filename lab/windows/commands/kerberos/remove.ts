import { recordMutation } from '../../../estate/store';
import type { CommandSimulation } from '../types';
import { bindDomain, findDomain, requireWindowsPowerShell } from './domain';
import { moduleError } from './errors';
import { kerberosServerObject } from './server-object';
import { signInToDomain, signInToEntra } from './sign-in';

const CLASS = 'RemoveAzureADKerberosServer';

/**
 * Remove-AzureADKerberosServer: deletes the object from AD and from Entra (how-to, "Remove the Microsoft Entra
 * Kerberos Server"). With nothing to delete it does nothing (undocumented; the lab's reading). Its output is
 * undocumented: the lab writes the object as it was (catalog note, fidelity review row 12).
 */
export const removeKerberosServer: CommandSimulation = async (call, lab) => {
  requireWindowsPowerShell(call, lab, CLASS);
  const estate = await lab.read();
  const name = call.get<string>('Domain')!;
  const { domain, controller } = bindDomain(estate, name, lab, CLASS, 'write');
  const identity = signInToDomain(call, lab, estate, domain, CLASS);
  signInToEntra(call, lab, estate, CLASS, 'RemoveKerberosDomainAsync');
  const present = (d: typeof estate) => {
    const server = findDomain(d, name)!.kerberosServer;
    return server.ad !== null || server.cloud !== null;
  };
  if (!present(estate)) return [];
  if (!identity.canWrite) moduleError(lab, 'KdcRemoveInsufficientAccessRights', CLASS, 'RemoveKerberosServer');
  const removed = await lab.update((current) => {
    if (!present(current)) return [];
    const changed = findDomain(current, name)!;
    const was = kerberosServerObject(lab, changed, controller);
    changed.kerberosServer.ad = null;
    changed.kerberosServer.cloud = null;
    recordMutation(current, `kerberos-removed:${changed.dnsName}`);
    return [was];
  });
  return removed;
};
