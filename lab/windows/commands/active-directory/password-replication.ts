import type { CommandSimulation } from '../types';
import { defaultReplicationPolicy } from './accounts';
import { connect, directoryOf, locate } from './connection';
import { buildDirectory, configurationDn, controllerName, type Directory, type DirectoryObject } from './directory';
import { failWith } from './errors';
import { dnKey, isUnder, sameText, stableGuid } from './names';
import { AD, toAdObject } from './objects';
import { identityText } from './search';

/** userAccountControl PARTIAL_SECRETS_ACCOUNT (MS-ADTS §2.2.16): an RODC's computer object (AzureADKerberos has it too). */
const PARTIAL_SECRETS = 0x4000000;

/**
 * Get-ADDomainControllerPasswordReplicationPolicy: the principals on an RODC's allowed list (-Allowed, the default
 * set: msDS-RevealOnDemandGroup) or denied list (-Denied: msDS-NeverRevealGroup), as ADPrincipal objects. -Identity
 * is a DC (name, DNS host name, server object GUID) or the DN of the computer object that represents it (docs) -
 * the only form that names the AzureADKerberos object, which has no server object (inferred). A writable DC has
 * no policy: nothing is written (inferred). An estate RODC has the default RODC policy. Read-only: the lab has no
 * Add-/Remove- counterpart, and cloudtrust never changes this policy.
 */
export const getADDomainControllerPasswordReplicationPolicy: CommandSimulation = async (call, lab) => {
  const connection = connect(call, lab, await lab.read());
  const directory = directoryOf(connection, lab);
  const { forest, domain } = connection;
  const identity = identityText(call.get('Identity'));
  const denied = call.parameterSet === 'DeniedPRP';

  let list: string[] | undefined;
  const dc = domain.controllers.find(
    (c) =>
      sameText(c.hostName, identity) ||
      sameText(controllerName(c), identity) ||
      dnKey(identity) === dnKey(`CN=${controllerName(c)},OU=Domain Controllers,${domain.distinguishedName}`) ||
      sameText(stableGuid(`server|${c.hostName}|${configurationDn(forest)}`), identity.replace(/^\{|\}$/g, '')),
  );
  if (dc) {
    if (!dc.isReadOnly) return [];
    const rodcDefault = defaultReplicationPolicy(domain);
    list = denied ? rodcDefault.denied : rodcDefault.allowed.filter((dn) => !/^CN=Domain Users,/i.test(dn));
  } else if (identity.includes('=')) {
    const object = directory.find(identity);
    if (object && object.objectClass.includes('computer') && (Number(object.attributes.userAccountControl ?? 0) & PARTIAL_SECRETS) !== 0) {
      list = ((denied ? object.attributes['msDS-NeverRevealGroup'] : object.attributes['msDS-RevealOnDemandGroup']) as string[] | undefined) ?? [];
    }
  }
  if (list === undefined) failWith(call, lab, 'ADIdentityNotFound', { identity, partition: domain.distinguishedName });

  const views = new Map<string, Directory>([[domain.dnsName, directory]]);
  const lookup = (dn: string): DirectoryObject | undefined => {
    const owner = [...forest.domains].sort((a, b) => b.distinguishedName.length - a.distinguishedName.length).find((d) => isUnder(dn, d.distinguishedName));
    if (!owner) return undefined;
    let view = views.get(owner.dnsName);
    if (!view) {
      view = buildDirectory(connection.estate, forest, owner, locate(owner) ?? owner.controllers[0], lab.now());
      views.set(owner.dnsName, view);
    }
    return view.find(dn);
  };
  return list.map(lookup).filter((o): o is DirectoryObject => o !== undefined).map((o) => toAdObject(lab, AD.principal, o));
};
