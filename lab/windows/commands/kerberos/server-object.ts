import { createHash } from 'node:crypto';
import type { LabController, LabDomain } from '../../../estate/schema';
import type { CommandContext, LabObject } from '../types';
import { sameName } from './domain';

export const KERBEROS_SERVER_TYPE = 'Microsoft.AzureAD.Kdc.Management.KerberosServer';

/**
 * KeyVersion moves by the directory's replication metadata, not by 1 (the Kerberos-trust article's samples:
 * 192272 -> 212621); each new key adds this much.
 */
const KEY_VERSION_STEP = 20349;

/**
 * The AD half as one DC shows it now: a key written on another DC reaches it after the estate's replication delay.
 * `stale`: the read bound to a DC the last change has not reached (kerberosServer.staleReadsAfterSet).
 */
export function adHalfOn(domain: LabDomain, controller: LabController, now: Date, stale = false): { keyVersion: number } | null {
  const { ad, replicationDelaySeconds, replicationDelayOverrides } = domain.kerberosServer;
  if (!ad) return null;
  if (stale) return ad.previousKeyVersion === null ? null : { keyVersion: ad.previousKeyVersion };
  const override = Object.entries(replicationDelayOverrides).find(([host]) => sameName(host, controller.hostName))?.[1];
  const delay = sameName(ad.keyUpdatedFrom, controller.hostName) ? 0 : (override ?? replicationDelaySeconds);
  if (now.getTime() >= new Date(ad.keyUpdatedOn).getTime() + delay * 1000) return { keyVersion: ad.keyVersion };
  return ad.previousKeyVersion === null ? null : { keyVersion: ad.previousKeyVersion };
}

/**
 * What Get-AzureADKerberosServer writes: one object, its AD properties read from the DC it bound to and its Cloud
 * properties from Entra; every property empty when the domain has no object (Kerberos-trust article sample).
 * CloudTrustDisplay stays empty: the lab has no Trusted Domain Object (Set -SetupCloudTrust is not simulated);
 * an installed module older than the property lacks it (catalog propertiesSince). KeyUpdatedOn and
 * CloudKeyUpdatedOn have the Kind the estate declares (kerberosServer.keyUpdatedOnKind).
 */
export function kerberosServerObject(lab: CommandContext, domain: LabDomain, controller: LabController, stale = false): LabObject {
  const { ad, cloud, keyUpdatedOnKind } = domain.kerberosServer;
  const seen = adHalfOn(domain, controller, lab.now(), stale);
  // A DateTime of Kind Unspecified crosses to the stub as an ISO text without a zone (the instant is UTC either way).
  const when = (iso: string | null | undefined) => (iso && keyUpdatedOnKind === 'Unspecified' ? iso.replace(/(Z|[+-]\d{2}:\d{2})$/, '') : (iso ?? null));
  return lab.object(KERBEROS_SERVER_TYPE, {
    Id: ad && seen ? ad.id : null,
    UserAccount: ad && seen ? ad.userAccount : null,
    ComputerAccount: ad && seen ? ad.computerAccount : null,
    DisplayName: ad && seen ? `krbtgt_${ad.id}` : null,
    DomainDnsName: ad && seen ? domain.dnsName : null,
    KeyVersion: seen ? seen.keyVersion : null,
    KeyUpdatedOn: ad && seen ? when(ad.keyUpdatedOn) : null,
    KeyUpdatedFrom: ad && seen ? ad.keyUpdatedFrom : null,
    CloudDisplayName: cloud?.displayName ?? null,
    CloudDomainDnsName: cloud?.domainDnsName ?? null,
    CloudId: cloud?.id ?? null,
    CloudKeyVersion: cloud?.keyVersion ?? null,
    CloudKeyUpdatedOn: when(cloud?.keyUpdatedOn),
    CloudTrustDisplay: null,
  });
}

/**
 * The Id the object gets when it is created (the RODC-style krbtgt number the module picks): stable per domain
 * here so that estates reproduce.
 */
function newServerId(domain: LabDomain): number {
  return (parseInt(createHash('sha256').update(domain.dnsName.toLowerCase()).digest('hex').slice(0, 6), 16) % 60000) + 1000;
}

/**
 * What Set-AzureADKerberosServer leaves: the AD objects (krbtgt_AzureAD under CN=Users, the AzureADKerberos
 * computer under OU=Domain Controllers, how-to "Create a Kerberos server object") written with a new key on the
 * DC it bound to, and the KerberosDomain in Entra published with the same Id and key version.
 */
export function writeNewKey(domain: LabDomain, controller: LabController, now: Date): void {
  const current = domain.kerberosServer.ad;
  const id = current?.id ?? newServerId(domain);
  const keyVersion = current ? current.keyVersion + KEY_VERSION_STEP : 100_000 + id;
  const keyUpdatedOn = now.toISOString();
  domain.kerberosServer.ad = {
    id,
    keyVersion,
    previousKeyVersion: current?.keyVersion ?? null,
    keyUpdatedOn,
    keyUpdatedFrom: controller.hostName,
    userAccount: current?.userAccount ?? `CN=krbtgt_AzureAD,CN=Users,${domain.distinguishedName}`,
    computerAccount: current?.computerAccount ?? `CN=AzureADKerberos,OU=Domain Controllers,${domain.distinguishedName}`,
  };
  domain.kerberosServer.cloud = { id, keyVersion, keyUpdatedOn, domainDnsName: domain.dnsName, displayName: `krbtgt_${id}` };
}
