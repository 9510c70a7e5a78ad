import type { LabEstate } from './schema';
import { recordMutation } from './store';

/**
 * What a krbtgt reset tool that is not the module does to krbtgt_AzureAD (reference §1.5: "only" Set-AzureADKerberosServer
 * may rotate it; other tools update AD but not Entra): a new password on the AD account, whose msDS-KeyVersionNumber
 * goes up by one (MS-ADA2: one per password set) and replicates; the Entra KerberosDomain keeps the old key version.
 * KeyUpdatedOn and KeyUpdatedFrom stay as the module last wrote them (inferred). Returns the new AD key version.
 */
export function resetKerberosKeyOutsideModule(estate: LabEstate, dnsName: string): number {
  const domain = estate.forests.flatMap((f) => f.domains).find((d) => d.dnsName.toLowerCase() === dnsName.toLowerCase());
  if (!domain) throw new Error(`the lab estate has no domain ${dnsName}`);
  const ad = domain.kerberosServer.ad;
  if (!ad) throw new Error(`${domain.dnsName} has no Azure AD Kerberos server object to reset`);
  ad.previousKeyVersion = ad.keyVersion;
  ad.keyVersion += 1;
  recordMutation(estate, `kerberos-reset-outside-module:${domain.dnsName}`);
  return ad.keyVersion;
}
