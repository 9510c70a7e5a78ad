import { z } from 'zod';

/** The simulated hybrid estate the lab host answers from. */

export const labControllerSchema = z.object({
  hostName: z.string().min(1),
  site: z.string().min(1),
  operatingSystem: z.string(),
  currentBuild: z.number().int().positive(),
  ubr: z.number().int().nonnegative(),
  isReadOnly: z.boolean().default(false),
  reachable: z.boolean().default(true),
  /** The Kerberos SupportedEncryptionTypes policy value; null when the policy is not configured. */
  supportedEncryptionTypes: z.number().int().nonnegative().nullable().default(null),
});

export const labDomainSchema = z.object({
  dnsName: z.string().min(1),
  netBiosName: z.string().min(1),
  distinguishedName: z.string().min(1),
  functionalLevel: z.string().default('Windows2016Domain'),
  controllers: z.array(labControllerSchema),
});

export const labForestSchema = z.object({
  name: z.string().min(1),
  sites: z.array(z.string().min(1)),
  domains: z.array(labDomainSchema),
});

export const labEstateSchema = z.object({
  name: z.string().min(1),
  tenant: z.object({ id: z.string().uuid(), verifiedDomains: z.array(z.string()) }),
  forests: z.array(labForestSchema).min(1),
});

export type LabEstate = z.infer<typeof labEstateSchema>;
export type LabDomain = z.infer<typeof labDomainSchema>;
export type LabController = z.infer<typeof labControllerSchema>;
