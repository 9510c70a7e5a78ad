import { z } from 'zod';
import { dnsNameSchema } from '../../model/names';
import { defineStep } from './contract';
import { domainCredentialSchema } from './kerberos';

const presence = z.object({ present: z.boolean(), distinguishedName: z.string().nullable() });

/** The AD objects of the Azure AD Kerberos server object, as one DC shows them; judged by model/kerberos-health.ts. */
export const kerberosObjectHealthSchema = z.object({
  domainDistinguishedName: z.string(),
  serviceConnectionPoint: presence,
  userAccount: presence.extend({ enabled: z.boolean().nullable(), supportedEncryptionTypes: z.number().int().nullable() }),
  computerAccount: presence,
});
export type KerberosObjectHealth = z.infer<typeof kerberosObjectHealthSchema>;

export const kerberosHealthStep = defineStep({
  id: 'kerberos.check-health',
  script: 'kerberos/check-health.ps1',
  description: 'Read the AD objects of the Azure AD Kerberos server object (serviceConnectionPoint, krbtgt account, AzureADKerberos computer)',
  input: z.object({
    domain: dnsNameSchema,
    server: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'must be a DC host name').optional(),
    domainCredential: domainCredentialSchema.optional(),
  }),
  output: kerberosObjectHealthSchema,
  credentialFields: ['domainCredential'],
  timeoutMs: 3 * 60_000,
});
