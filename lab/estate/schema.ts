import { z } from 'zod';
import { labReplicationPolicySchema, labUserSchema } from './accounts-schema';

/**
 * The simulated hybrid estate behind the lab's Windows commands: a tenant, forests of domains, the management host, sample
 * devices, and declared faults. Every field a step reads or writes lives here, so a lab run is reproducible from the file.
 */

const isoDate = z.string().datetime({ offset: true });

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
  /** Whether the DC hosts a global catalog; absent means yes (dcpromo makes every new DC a GC by default). */
  isGlobalCatalog: z.boolean().optional(),
});

export const labOuSchema = z.object({ distinguishedName: z.string().min(1), name: z.string().min(1) });

export const labGroupSchema = z.object({
  name: z.string().min(1),
  distinguishedName: z.string().min(1),
  scope: z.enum(['DomainLocal', 'Global', 'Universal']).default('Global'),
  members: z.array(z.string()).default([]),
});

export const labRegistryValueSchema = z.object({
  /** Full key as Set-GPRegistryValue takes it, e.g. HKLM\SOFTWARE\Policies\Microsoft\PassportForWork. */
  key: z.string().min(1),
  valueName: z.string().min(1),
  type: z.enum(['String', 'ExpandString', 'Binary', 'DWord', 'MultiString', 'QWord']),
  value: z.union([z.number(), z.string()]),
  /** Delete: a setting that deletes the value on clients (Set-GPRegistryValue -Disable); absent = Set. */
  policyState: z.enum(['Set', 'Delete']).optional(),
});

export const labGpoLinkSchema = z.object({
  target: z.string().min(1),
  order: z.number().int().positive(),
  enabled: z.boolean().default(true),
  enforced: z.boolean().default(false),
});

export const labGpoPermissionSchema = z.object({
  trustee: z.string().min(1),
  trusteeType: z.enum(['User', 'Group', 'Computer']),
  permission: z.enum(['GpoRead', 'GpoApply', 'GpoEdit', 'GpoEditDeleteModifySecurity', 'GpoCustom']),
});

export const labGpoSchema = z.object({
  id: z.guid(),
  displayName: z.string().min(1),
  status: z.enum(['AllSettingsEnabled', 'UserSettingsDisabled', 'ComputerSettingsDisabled', 'AllSettingsDisabled']).default('AllSettingsEnabled'),
  registryValues: z.array(labRegistryValueSchema).default([]),
  links: z.array(labGpoLinkSchema).default([]),
  permissions: z.array(labGpoPermissionSchema).default([]),
  /** The GPO's comment (Gpo.Description); absent = none. */
  description: z.string().optional(),
  createdOn: isoDate.optional(),
  modifiedOn: isoDate.optional(),
  /** Edits of the computer and user halves (the GPO version numbers); absent = 0. */
  computerVersion: z.number().int().nonnegative().optional(),
  userVersion: z.number().int().nonnegative().optional(),
  /** An estate fault: the GPO's folder on SYSVOL (GPT.INI, Registry.pol) denies the session's account read access. */
  sysvolAccessDenied: z.boolean().optional(),
});

/**
 * The AD objects of the Kerberos server object as an estate may have them damaged or made by another tenant
 * (reference §1.4): the serviceConnectionPoint, the AzureADKerberos computer, the krbtgt account's state.
 */
export const labKerberosAdObjectsSchema = z.object({
  /** The tenant whose Set-AzureADKerberosServer wrote the objects; absent = the estate's tenant. */
  tenantId: z.guid().optional(),
  /** CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,<domain>; absent = present. */
  serviceConnectionPoint: z.boolean().optional(),
  /** CN=AzureADKerberos,OU=Domain Controllers,<domain>; absent = present. */
  computerAccount: z.boolean().optional(),
  /** Whether the krbtgt account is enabled; absent = disabled, as the module creates it. */
  userAccountEnabled: z.boolean().optional(),
  /** msDS-SupportedEncryptionTypes of the krbtgt account; absent = not set (undocumented what the module writes). */
  supportedEncryptionTypes: z.number().int().nonnegative().optional(),
});

/** The two halves of the Azure AD Kerberos server object: the AD objects and the Entra KerberosDomain. */
export const labKerberosServerSchema = z.object({
  ad: z
    .object({
      id: z.number().int().positive(),
      keyVersion: z.number().int().positive(),
      /** The version DCs keep showing until the last update has replicated to them. */
      previousKeyVersion: z.number().int().positive().nullable().default(null),
      keyUpdatedOn: isoDate,
      keyUpdatedFrom: z.string(),
      userAccount: z.string(),
      computerAccount: z.string(),
      /** The AD objects besides the key (lab/windows/commands/kerberos/ad-objects.ts); absent = as Set-AzureADKerberosServer leaves them. */
      objects: labKerberosAdObjectsSchema.optional(),
    })
    .nullable()
    .default(null),
  cloud: z
    .object({
      id: z.number().int().positive(),
      keyVersion: z.number().int().positive(),
      keyUpdatedOn: isoDate,
      domainDnsName: z.string(),
      displayName: z.string(),
    })
    .nullable()
    .default(null),
  /** Seconds after a key update until a DC other than the one it was updated on sees it. */
  replicationDelaySeconds: z.number().nonnegative().default(5),
  /** Per DC host name, a different delay (a slow link, a branch site). */
  replicationDelayOverrides: z.record(z.string(), z.number().nonnegative()).default({}),
  /**
   * After each Set-AzureADKerberosServer, how many Get-AzureADKerberosServer calls bind to a DC the new objects
   * have not replicated to yet (the DC locator's pick; replication timing of this object: azure-docs#82666).
   */
  staleReadsAfterSet: z.number().int().nonnegative().default(0),
  /** Of those, how many are still to come (the lab's bookkeeping). */
  staleReadsRemaining: z.number().int().nonnegative().default(0),
  /** The DateTimeKind of KeyUpdatedOn/CloudKeyUpdatedOn as the module returns them (undocumented: the sample output carries no zone). */
  keyUpdatedOnKind: z.enum(['Utc', 'Unspecified']).default('Utc'),
  /** The password replication policy of CN=AzureADKerberos; absent = the one Set-AzureADKerberosServer creates (password-replication.ts). */
  passwordReplicationPolicy: labReplicationPolicySchema.optional(),
});

export const labDomainSchema = z.object({
  dnsName: z.string().min(1),
  netBiosName: z.string().min(1),
  distinguishedName: z.string().min(1),
  functionalLevel: z.string().default('Windows2016Domain'),
  controllers: z.array(labControllerSchema),
  ous: z.array(labOuSchema).default([]),
  groups: z.array(labGroupSchema).default([]),
  gpos: z.array(labGpoSchema).default([]),
  users: z.array(labUserSchema).default([]),
  kerberosServer: labKerberosServerSchema.default({ ad: null, cloud: null, replicationDelaySeconds: 5, replicationDelayOverrides: {}, staleReadsAfterSet: 0, staleReadsRemaining: 0, keyUpdatedOnKind: 'Utc' }),
  /** Free text for people reading the estate, e.g. which policy channel the domain is meant for. */
  notes: z.string().optional(),
});

export const labForestSchema = z.object({
  name: z.string().min(1),
  sites: z.array(z.string().min(1)),
  domains: z.array(labDomainSchema).min(1),
});

export const labAdminSchema = z.object({
  userPrincipalName: z.string().min(3),
  /** The password a -CloudCredential / -DomainCredential sign-in must present; lab data, never a real secret. */
  password: z.string().min(1),
  mfaEnforced: z.boolean().default(true),
  entraRoles: z.array(z.string()).default([]),
  adGroups: z.array(z.string()).default([]),
});

export const labOmaSettingSchema = z.object({
  displayName: z.string(),
  omaUri: z.string().min(1),
  valueType: z.enum(['boolean', 'integer', 'string']),
  value: z.union([z.boolean(), z.number(), z.string()]),
  description: z.string().nullable().optional(),
});

/**
 * An Intune assignment target. kind absent = a group; allDevices / allLicensedUsers carry Intune's virtual group ids
 * (adadadad-808e-44e2-905a-0b7873a8a531 / acacacac-9df4-4c7d-9d50-4ef0226f57a9) as groupId.
 */
export const labAssignmentSchema = z.object({
  groupId: z.guid(),
  kind: z.enum(['group', 'exclusionGroup', 'allDevices', 'allLicensedUsers']).optional(),
});

export const labDeviceConfigurationSchema = z.object({
  id: z.guid(),
  displayName: z.string().min(1),
  description: z.string().default(''),
  odataType: z.string().min(1),
  omaSettings: z.array(labOmaSettingSchema).default([]),
  /** The derived type's own members as Graph JSON, for a type other than the custom profile (e.g. a windowsIdentityProtectionConfiguration's windowsHelloForBusinessBlocked). */
  properties: z.record(z.string(), z.unknown()).optional(),
  assignments: z.array(labAssignmentSchema).default([]),
  createdDateTime: isoDate.optional(),
  lastModifiedDateTime: isoDate.optional(),
  version: z.number().int().nonnegative().optional(),
});

/** A settings-catalog (beta configurationPolicies) policy; settings are the Graph JSON of each deviceManagementConfigurationSetting. */
export const labConfigurationPolicySchema = z.object({
  id: z.guid(),
  name: z.string().min(1),
  description: z.string().default(''),
  platforms: z.string().default('windows10'),
  technologies: z.string().default('mdm'),
  /** templateReference.templateFamily, e.g. 'endpointSecurityAccountProtection'; 'none' for a plain settings-catalog policy. */
  templateFamily: z.string().default('none'),
  settings: z.array(z.record(z.string(), z.unknown())).default([]),
  assignments: z.array(labAssignmentSchema).default([]),
  createdDateTime: isoDate.optional(),
  lastModifiedDateTime: isoDate.optional(),
});

/** An app registration that signs in app-only with a certificate (Connect-MgGraph -ClientId -CertificateThumbprint). */
export const labApplicationSchema = z.object({
  appId: z.guid(),
  displayName: z.string().min(1),
  /** Thumbprints of the certificates uploaded to the app (its keyCredentials). */
  certificateThumbprints: z.array(z.string().regex(/^[0-9A-Fa-f]{40}$/)).default([]),
  /** Microsoft Graph application permissions granted with admin consent (the token's roles). */
  roles: z.array(z.string()).default(['Organization.Read.All', 'Group.ReadWrite.All', 'DeviceManagementConfiguration.ReadWrite.All']),
});

/** The tenant-wide Windows Hello for Business enrollment configuration (Intune > Devices > Enrollment > Windows Hello for Business). */
export const labHelloEnrollmentSchema = z.object({
  /** Microsoft's cloud-trust guide: the tenant-wide policy "is usually disabled" (hybrid-cloud-kerberos-trust-enroll). */
  state: z.enum(['notConfigured', 'enabled', 'disabled']).default('disabled'),
  securityDeviceRequired: z.boolean().default(false),
  pinMinimumLength: z.number().int().min(4).max(127).default(6),
  pinMaximumLength: z.number().int().min(4).max(127).default(127),
});

export const labTenantSchema = z.object({
  id: z.guid(),
  displayName: z.string().default('Lab tenant'),
  /** The national cloud the tenant lives in (a Connect-MgGraph -Environment name). */
  environment: z.enum(['Global', 'USGov', 'USGovDoD', 'China']).default('Global'),
  verifiedDomains: z.array(z.string()),
  intuneLicensed: z.boolean().default(true),
  groups: z
    .array(
      z.object({
        id: z.guid(),
        displayName: z.string(),
        mailNickname: z.string(),
        securityEnabled: z.boolean().default(true),
        members: z.array(z.string()).default([]),
        mailEnabled: z.boolean().optional(),
        description: z.string().nullable().optional(),
      }),
    )
    .default([]),
  deviceConfigurations: z.array(labDeviceConfigurationSchema).default([]),
  admins: z.array(labAdminSchema).default([]),
  applications: z.array(labApplicationSchema).default([]),
  configurationPolicies: z.array(labConfigurationPolicySchema).default([]),
  helloForBusinessEnrollment: labHelloEnrollmentSchema.default(labHelloEnrollmentSchema.parse({})),
});

export const labManagementHostSchema = z.object({
  hostName: z.string().default('mgmt01'),
  editions: z.array(z.object({ edition: z.enum(['Desktop', 'Core']), version: z.string() })).default([{ edition: 'Desktop', version: '5.1.17763.6293' }]),
  modules: z
    .array(
      z.object({
        name: z.string(),
        version: z.string(),
        /** The repository Install-Module installed it from (what Get-InstalledModule reports); null = copied into place, unknown to Get-InstalledModule; absent = PSGallery. */
        repository: z.string().nullable().optional(),
        /** The Install-Module scope it went to; absent = AllUsers. */
        scope: z.enum(['AllUsers', 'CurrentUser']).optional(),
      }),
    )
    .default([]),
  nugetProviderVersion: z.string().nullable().default(null),
  psGalleryRegistered: z.boolean().default(true),
  psGalleryTrusted: z.boolean().default(false),
  psGalleryReachable: z.boolean().default(true),
  /** Whether the process negotiates TLS 1.2 by default (false on an unpatched Server 2016 Windows PowerShell 5.1). */
  tls12ByDefault: z.boolean().default(false),
  galleryVersions: z.record(z.string(), z.string()).default({ AzureADHybridAuthenticationManagement: '2.4.71.0' }),
  /**
   * How long importing one Graph SDK or PowerShellGet script module takes here (ms; default 0). Reported: about 2
   * minutes for Microsoft.Graph on Windows PowerShell 5.1 (microsoftgraph/msgraph-sdk-powershell#688), up to 10 for
   * Groups/Users at its .NET Framework check (#2479); AV scanning of the large psm1 files adds to it.
   */
  moduleImportMs: z.number().int().nonnegative().default(0),
  /** Whether the bridge's PowerShell runs elevated ("Run as administrator"); installing for all users needs it. */
  elevated: z.boolean().default(true),
  /** The AD groups of the account the bridge runs as (what the GroupPolicy cmdlets act as); absent = Domain Admins and Enterprise Admins. */
  adGroups: z.array(z.string()).optional(),
  /** Certificates with their private key in the worker account's stores (what Connect-MgGraph -CertificateThumbprint finds). */
  certificates: z
    .array(
      z.object({
        thumbprint: z.string().regex(/^[0-9A-Fa-f]{40}$/),
        subject: z.string().default('CN=cloudtrust'),
        store: z.enum(['CurrentUser\\My', 'LocalMachine\\My']).default('CurrentUser\\My'),
        /** Expiry; absent = valid. */
        notAfter: isoDate.optional(),
      }),
    )
    .default([]),
  /**
   * How the NuGet provider bootstrap (Install-PackageProvider -Name NuGet) ends on a host that reaches the
   * Internet: 'retiredCdn' = the provider feed on onegetcdn.azureedge.net fails as reported in 2025 (swidtag
   * downloads fail, then NoMatchFoundForProvider: PowerShell/PowerShellGallery#317); 'retiredCdnAssembly' = the
   * provider list loads but the provider DLL download fails (FailedProviderBootstrap: PowerShell/PowerShellGet#78).
   */
  nugetBootstrap: z.enum(['ok', 'retiredCdn', 'retiredCdnAssembly']).default('ok'),
  /** Whether the session loads the in-box PowerShellGet 1.0.0.1 of Windows PowerShell 5.1, whose Get-PSRepository asks for the NuGet bootstrap (inferred; fidelity review row 26). */
  inboxPowerShellGet: z.boolean().default(false),
  /** Whether [Net.ServicePointManager]::SecurityProtocol starts at SystemDefault (0): .NET 4.7+ with SystemDefaultTlsVersions, where the OS negotiates TLS 1.2. */
  tlsSystemDefault: z.boolean().default(false),
  /** The RSAT and Microsoft.Graph modules on the host's module path, with their versions; absent = every one the lab has, at its catalog version. */
  platformModules: z.array(z.object({ name: z.string(), version: z.string() })).optional(),
});

export const labScheduledTaskSchema = z.object({
  taskPath: z.string(),
  taskName: z.string(),
  execute: z.string(),
  arguments: z.string().nullable(),
  userId: z.string().nullable(),
  groupId: z.string().nullable(),
  logonType: z.string().nullable(),
  runLevel: z.string().nullable(),
  disallowStartIfOnBatteries: z.boolean(),
  state: z.enum(['Ready', 'Running']),
  lastRunTime: z.string().nullable(),
  /** 267011 (SCHED_S_TASK_HAS_NOT_RUN) until it ran; then the action's exit code. */
  lastTaskResult: z.number().int(),
});

export const labDeviceSchema = z.object({
  name: z.string().min(1),
  domain: z.string().min(1),
  osBuild: z.string().regex(/^\d+\.\d+$/, 'build.ubr, e.g. 22631.4460'),
  reachable: z.boolean().default(true),
  /** How WHfB ended up on the device; the lab derives dsregcmd fields and events from it. */
  outcome: z.enum(['cloud-trust', 'key-trust', 'not-provisioned', 'not-eligible', 'certificate-trust']),
  /** The OS display language event messages are rendered in (Get-WinEvent Message), e.g. de-DE; absent = en-US. */
  language: z.string().optional(),
  /** The user signed in at the console (Win32_ComputerSystem.UserName, DOMAIN\\user); absent = <NetBIOS>\\user; null = nobody signed in. */
  signedInUser: z.string().nullable().optional(),
  /** dsregcmd /status's exit code in the signed-in user's session (non-zero: it printed an error instead of the status). */
  dsregcmdExitCode: z.number().int().optional(),
  /** The scheduled tasks registered on the device (Register-ScheduledTask), by path and name. */
  scheduledTasks: z.array(labScheduledTaskSchema).default([]),
  /** How many tasks Register-ScheduledTask has registered on the device (transient: not counted as mutations). */
  tasksRegistered: z.number().int().nonnegative().optional(),
});

export const labFaultSchema = z.object({
  /** The simulated command (Get-ADDomainController, Set-GPRegistryValue, Invoke-MgGraphRequest, ...) that fails. */
  command: z.string().min(1),
  /** Restricts the fault to one target (domain, DC, GPO name, device): any string parameter of the call, or the remote computer; absent = every call. */
  target: z.string().optional(),
  mode: z.enum(['transient', 'permanent', 'latency', 'hang', 'throttle']),
  /** transient/throttle: how many calls fail before the command succeeds (remaining count, decremented). */
  remaining: z.number().int().nonnegative().optional(),
  latencyMs: z.number().int().nonnegative().optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
  message: z.string().optional(),
  category: z.string().optional(),
  errorId: z.string().optional(),
  /** The .NET exception the failing command throws (default by mode). */
  exceptionType: z.string().optional(),
});

export const labEstateSchema = z.object({
  name: z.string().min(1),
  tenant: labTenantSchema,
  forests: z.array(labForestSchema).min(1),
  managementHost: labManagementHostSchema.default(labManagementHostSchema.parse({})),
  devices: z.array(labDeviceSchema).default([]),
  faults: z.array(labFaultSchema).default([]),
  /** Latency added to every call, e.g. for scale benchmarks. */
  latencyMs: z.number().int().nonnegative().default(0),
  /**
   * How many times faster than real time simulated waits run (a connection to an unreachable computer costs the
   * client's OpenTimeout: 180000 ms at timeScale 100 waits 1.8 s). Absent = simulated waits are skipped.
   */
  timeScale: z.number().positive().optional(),
  /** Mutations applied, per object key ("gpo:corp.contoso.com:WHfB", "kerberos:corp.contoso.com", ...). */
  mutations: z.record(z.string(), z.number().int().nonnegative()).default({}),
});

export type LabEstate = z.infer<typeof labEstateSchema>;
export type LabForest = z.infer<typeof labForestSchema>;
export type LabDomain = z.infer<typeof labDomainSchema>;
export type LabController = z.infer<typeof labControllerSchema>;
export type LabGpo = z.infer<typeof labGpoSchema>;
export type LabFault = z.infer<typeof labFaultSchema>;
export type LabDevice = z.infer<typeof labDeviceSchema>;
export type LabScheduledTask = z.infer<typeof labScheduledTaskSchema>;
export type LabAdmin = z.infer<typeof labAdminSchema>;
