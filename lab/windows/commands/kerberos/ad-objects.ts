import type { LabDomain } from '../../../estate/schema';

type AdObjects = NonNullable<NonNullable<LabDomain['kerberosServer']['ad']>['objects']>;

/**
 * What Set-AzureADKerberosServer leaves of the AD objects besides the key: written for the tenant that signed in,
 * the serviceConnectionPoint and the AzureADKerberos computer in place and the krbtgt account disabled again
 * (INFERRED: the module writes its objects; that it recreates a deleted one and disables an enabled account is
 * undocumented). msDS-SupportedEncryptionTypes is an attribute it is not known to write: kept as it was.
 */
export function objectsAfterSet(previous: AdObjects | undefined, tenantId: string): AdObjects {
  return {
    tenantId,
    ...(previous?.supportedEncryptionTypes === undefined ? {} : { supportedEncryptionTypes: previous.supportedEncryptionTypes }),
  };
}
