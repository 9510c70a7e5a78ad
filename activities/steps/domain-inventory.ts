import { z } from 'zod';
import { dnsNameSchema } from '../../model/names';
import { defineStep } from './contract';
import { credentialSchema } from './credential';

export const domainControllerSchema = z.object({
  hostName: z.string().min(1),
  name: z.string().min(1),
  site: z.string(),
  isReadOnly: z.boolean(),
  operatingSystem: z.string(),
  operatingSystemVersion: z.string(),
  currentBuild: z.number().int().nullable(),
  ubr: z.number().int().nullable(),
  supportedEncryptionTypes: z.number().int().nullable(),
  reachable: z.boolean(),
  error: z.string().nullable(),
});

export const domainInventorySchema = z.object({
  domain: z.object({
    dnsRoot: z.string(),
    netBiosName: z.string(),
    distinguishedName: z.string(),
    domainMode: z.string(),
    forest: z.string(),
  }),
  forestSites: z.array(z.string()),
  controllers: z.array(domainControllerSchema),
});

export const domainInventoryStep = defineStep({
  id: 'domain.read-inventory',
  script: 'domain/read-inventory.ps1',
  description: 'Inventory a domain: sites, domain controllers, OS build and UBR, Kerberos encryption types',
  input: z.object({ domain: dnsNameSchema, domainCredential: credentialSchema.optional() }),
  output: domainInventorySchema,
  credentialFields: ['domainCredential'],
  // The script contacts the DCs 32 at a time with a 15 s OpenTimeout: 10 waves of unreachable DCs fit in 5 minutes.
  timeoutMs: 5 * 60_000,
});
