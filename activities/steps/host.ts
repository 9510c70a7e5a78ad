import { z } from 'zod';
import { dnsNameSchema } from '../../model/names';
import { defineStep, type StepContract } from './contract';
import { credentialSchema } from './credential';
import { planOnlyInput, setResultSchema } from './set-result';

/** The module that creates and reads the Azure AD Kerberos server objects. */
export const HYBRID_AUTH_MODULE = 'AzureADHybridAuthenticationManagement';

/** The version whose gallery listing documents the cmdlets the procedure uses; from 2.3.331.0 the module no longer pulls AzureADPreview. */
export const DEFAULT_MODULE_MINIMUM_VERSION = '2.1.1.0';

const versionSchema = z.string().regex(/^\d+(\.\d+){1,3}$/, 'must be a version such as 2.4.71.0');

export const hostModuleSchema = z.object({
  hostName: z.string(),
  powerShell: z.object({ edition: z.string(), version: z.string() }),
  elevated: z.boolean(),
  module: z.object({
    name: z.literal(HYBRID_AUTH_MODULE),
    installed: z.boolean(),
    /** The highest installed version. */
    version: z.string().nullable(),
    versions: z.array(z.string()),
    /** The repository Install-Module took the highest version from; null when it was not installed with Install-Module. */
    repository: z.string().nullable(),
    minimumVersion: z.string(),
    meetsMinimum: z.boolean(),
  }),
  nugetProvider: z.object({ installed: z.boolean(), version: z.string().nullable() }),
  /** null: Get-PSRepository could not answer before the NuGet bootstrap (the in-box PowerShellGet on a host without NuGet). */
  psGallery: z.object({ registered: z.boolean().nullable(), trusted: z.boolean().nullable() }),
  /** Of the PowerShell process that ran the step; SystemDefault (0) counts as TLS 1.2 (the OS negotiates it). */
  tls: z.object({ securityProtocol: z.string(), tls12Enabled: z.boolean() }),
  /** The RSAT and Microsoft.Graph modules the other steps import or autoload. */
  prerequisites: z.array(z.object({ name: z.string(), installed: z.boolean(), versions: z.array(z.string()), usedBy: z.string() })),
  /** Never checked here: the step has no target computers (the domain inventory connects to every DC). */
  winrm: z.object({ checked: z.literal(false), reason: z.string() }),
  /** What later steps would trip over (missing or mismatched modules, NuGet missing); the rollout report lists them. */
  findings: z.array(z.object({ severity: z.enum(['blocker', 'warning', 'info']), code: z.string(), message: z.string(), target: z.string() })),
});

export const hostModuleStep = defineStep({
  id: 'host.read-module',
  script: 'host/read-module.ps1',
  description: 'Read the management host: PowerShell edition, AzureADHybridAuthenticationManagement, NuGet provider, PSGallery trust, TLS 1.2, RSAT and Graph modules',
  input: z.object({ minimumVersion: versionSchema.default(DEFAULT_MODULE_MINIMUM_VERSION) }),
  output: hostModuleSchema,
  timeoutMs: 2 * 60_000,
});

export const hostModuleStateSchema = z.object({
  moduleVersion: z.string().nullable(),
  nugetProviderVersion: z.string().nullable(),
  /** null: not readable before the NuGet bootstrap. */
  psGalleryRegistered: z.boolean().nullable(),
  psGalleryTrusted: z.boolean().nullable(),
});

export const ensureHostModuleStep = defineStep({
  id: 'host.ensure-module',
  script: 'host/ensure-module.ps1',
  description: 'Ensure AzureADHybridAuthenticationManagement on the management host (TLS 1.2, NuGet, PSGallery trusted, Install-Module -AllowClobber)',
  input: z.object({ minimumVersion: versionSchema.default(DEFAULT_MODULE_MINIMUM_VERSION), ...planOnlyInput }),
  // tlsForced: the script always forces TLS 1.2 for its process before anything touches NuGet or PSGallery.
  output: setResultSchema(hostModuleStateSchema).extend({ tlsForced: z.literal(true) }),
  timeoutMs: 15 * 60_000,
});

export const forestInventorySchema = z.object({
  name: z.string(),
  rootDomain: z.string(),
  domains: z.array(z.string()),
  sites: z.array(z.string()),
  globalCatalogs: z.array(z.string()),
});

export const forestInventoryStep = defineStep({
  id: 'forest.read-inventory',
  script: 'forest/read-inventory.ps1',
  description: 'Inventory a forest: root domain, domains, sites, global catalogs (Get-ADForest)',
  input: z.object({ forest: dnsNameSchema, server: dnsNameSchema.optional(), domainCredential: credentialSchema.optional() }),
  output: forestInventorySchema,
  credentialFields: ['domainCredential'],
  timeoutMs: 5 * 60_000,
});

/** The host step contracts. */
export const hostSteps: readonly StepContract[] = [hostModuleStep, ensureHostModuleStep, forestInventoryStep];
