import { recordMutation } from '../../../estate/store';
import { defaultReplicationPolicy } from '../active-directory/accounts';
import type { CommandSimulation } from '../types';
import { bindDomain, findDomain, requireWindowsPowerShell } from './domain';
import { objectsAfterSet } from './ad-objects';
import { moduleError } from './errors';
import { kerberosServerObject, writeNewKey } from './server-object';
import { signInToDomain, signInToEntra } from './sign-in';

const CLASS = 'SetAzureADKerberosServer';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Set-AzureADKerberosServer: creates the object in AD and publishes it to Entra; on an existing object it writes
 * a new key and publishes it again, which reconciles halves that disagree (Kerberos-trust article, -Force "to
 * repair/reconcile"). -RotateServerKey rotates the key of the object; rotating again less than 24 hours after the
 * last update needs -Force (without it the cmdlet asks for confirmation, inferred from -Force's description).
 * Its output is undocumented: the lab writes the object as it now is (catalog note, fidelity review row 12), so
 * a script that does not discard it fails. Afterwards the next kerberosServer.staleReadsAfterSet reads are stale.
 * Needs a writable DC, Domain Admins / Enterprise Admins and an Entra admin.
 */
export const setKerberosServer: CommandSimulation = async (call, lab) => {
  if (call.get<boolean>('SetupCloudTrust')) throw new Error('-SetupCloudTrust (the Trusted Domain Object) is not simulated');
  requireWindowsPowerShell(call, lab, CLASS);
  const estate = await lab.read();
  const name = call.get<string>('Domain')!;
  const { domain: bound, controller } = bindDomain(estate, name, lab, CLASS, 'write');
  const identity = signInToDomain(call, lab, estate, bound, CLASS);
  signInToEntra(call, lab, estate, CLASS, 'SetKerberosDomainAsync');
  if (!identity.canWrite) lab.fail('KdcInsufficientAccessRights');
  const written = await lab.update((current) => {
    const domain = findDomain(current, name)!;
    const existing = domain.kerberosServer.ad;
    const now = lab.now();
    const rotate = Boolean(call.get<boolean>('RotateServerKey')) && existing !== null;
    if (rotate && !call.get<boolean>('Force') && now.getTime() - new Date(existing.keyUpdatedOn).getTime() < DAY_MS) {
      moduleError(lab, 'KdcConfirmationPromptNonInteractive', CLASS, 'RotateServerKey');
    }
    const previousObjects = existing?.objects;
    writeNewKey(domain, controller, now);
    if (existing === null) domain.kerberosServer.passwordReplicationPolicy = defaultReplicationPolicy(domain);
    domain.kerberosServer.ad!.objects = objectsAfterSet(previousObjects, current.tenant.id);
    domain.kerberosServer.staleReadsRemaining = domain.kerberosServer.staleReadsAfterSet;
    recordMutation(current, rotate ? `kerberos-key:${domain.dnsName}` : `kerberos:${domain.dnsName}`);
    return kerberosServerObject(lab, domain, controller);
  });
  return [written];
};
