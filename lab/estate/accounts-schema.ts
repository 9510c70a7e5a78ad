import { z } from 'zod';

/**
 * The estate's user accounts of one domain (CN=Users) and the password replication policy of the domain's
 * AzureADKerberos object: what the user-readiness and replication-policy steps read.
 */

export const labUserSchema = z.object({
  samAccountName: z.string().min(1).max(20),
  /** Absent = <samAccountName>@<domain DNS name>. */
  userPrincipalName: z.string().min(3).optional(),
  /** Groups of this domain (the estate's or built-in, by name) the user is a direct member of. */
  memberOf: z.array(z.string().min(1)).default([]),
  enabled: z.boolean().default(true),
  /** When the password was last set; null = pwdLastSet 0 ("User must change password at next logon"). */
  passwordLastSet: z.string().datetime({ offset: true }).nullable().default('2026-10-01T08:00:00Z'),
  /** The password is past the domain's maximum password age (msDS-User-Account-Control-Computed UF_PASSWORD_EXPIRED). */
  passwordExpired: z.boolean().default(false),
  passwordNeverExpires: z.boolean().default(false),
  /** Generated groups (CN=<sam> group <n>,CN=Users) the user is also a member of, e.g. to exceed 1,010 groups. */
  generatedGroups: z.number().int().nonnegative().max(2000).default(0),
  /**
   * The user in Entra: synced (Entra Connect wrote onPremisesSamAccountName, onPremisesDomainName and
   * onPremisesSecurityIdentifier), attributesMissing (synced, but those three are null), absent (not synced).
   */
  entra: z.enum(['synced', 'attributesMissing', 'absent']).default('synced'),
});

/** msDS-RevealOnDemandGroup (allowed) and msDS-NeverRevealGroup (denied) of CN=AzureADKerberos, as DNs. */
export const labReplicationPolicySchema = z.object({
  allowed: z.array(z.string().min(1)).default([]),
  denied: z.array(z.string().min(1)).default([]),
});

export type LabUser = z.infer<typeof labUserSchema>;
export type LabReplicationPolicy = z.infer<typeof labReplicationPolicySchema>;
