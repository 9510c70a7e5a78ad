import type { LabDomain, LabForest } from '../../../estate/schema';
import { rdnValue } from './names';
import { principalSid } from './principals';

type Attributes = Record<string, string | number | boolean | string[] | undefined>;

export interface KerberosDirectoryEntry {
  distinguishedName: string;
  objectClass: string[];
  attributes: Attributes;
}

/** The serviceConnectionPoint the tools use to find the Kerberos server objects (FIDO2 FAQ, "Under the hood"). */
export const KERBEROS_SCP_CN = '900274c4-b7d2-43c8-90ee-00a9f650e335';

/** userAccountControl (MS-ADTS §2.2.16): NORMAL_ACCOUNT (+ ACCOUNTDISABLE); WORKSTATION_TRUST + PARTIAL_SECRETS (an RODC-shaped account). */
const UAC = { enabledUser: 0x200, disabledUser: 0x202, azureAdKerberos: 0x4001000 };

/**
 * The AD objects of the Azure AD Kerberos server object as a DC shows them once they have replicated to it:
 * the krbtgt account under CN=Users (disabled, holding the key; msDS-KeyVersionNumber per MS-ADA2), the
 * AzureADKerberos computer under OU=Domain Controllers (shaped as an RODC: primary group Read-only Domain
 * Controllers, 521) and the serviceConnectionPoint under CN=AzureAD,CN=System. The serviceConnectionPoint's own
 * attributes (keywords, serviceBindingInformation) are undocumented: the lab writes none. What Set writes into
 * msDS-SupportedEncryptionTypes of the account is undocumented too: the lab leaves it unset unless the estate sets it.
 */
export function kerberosDirectoryEntries(forest: LabForest, domain: LabDomain, keyVersion: number): KerberosDirectoryEntry[] {
  const ad = domain.kerberosServer.ad;
  if (!ad) return [];
  const objects = ad.objects ?? {};
  const entries: KerberosDirectoryEntry[] = [];
  const system = `CN=System,${domain.distinguishedName}`;
  if (objects.serviceConnectionPoint !== false) {
    entries.push({ distinguishedName: `CN=AzureAD,${system}`, objectClass: ['top', 'container'], attributes: {} });
    entries.push({ distinguishedName: `CN=${KERBEROS_SCP_CN},CN=AzureAD,${system}`, objectClass: ['top', 'leaf', 'connectionPoint', 'serviceConnectionPoint'], attributes: {} });
  }
  entries.push({
    distinguishedName: ad.userAccount,
    objectClass: ['top', 'person', 'organizationalPerson', 'user'],
    attributes: {
      sAMAccountName: `krbtgt_${ad.id}`,
      objectSid: principalSid(forest, domain, `krbtgt_${ad.id}`),
      userAccountControl: objects.userAccountEnabled ? UAC.enabledUser : UAC.disabledUser,
      'msDS-KeyVersionNumber': keyVersion,
      'msDS-SupportedEncryptionTypes': objects.supportedEncryptionTypes,
    },
  });
  if (objects.computerAccount !== false) {
    const name = rdnValue(ad.computerAccount);
    entries.push({
      distinguishedName: ad.computerAccount,
      objectClass: ['top', 'person', 'organizationalPerson', 'user', 'computer'],
      attributes: { sAMAccountName: `${name}$`, objectSid: principalSid(forest, domain, `${name}$`), userAccountControl: UAC.azureAdKerberos, primaryGroupID: 521 },
    });
  }
  return entries;
}
