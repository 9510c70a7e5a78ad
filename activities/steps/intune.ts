import { z } from 'zod';
import type { StepContract } from './contract';
import { defineStep } from './contract';
import { credentialSchema } from './credential';
import { planOnlyInput, setResultSchema } from './set-result';
import { DNS_NAME_PATTERN, HOST_NAME_PATTERN } from '../../model/names';

// ---------------------------------------------------------------- shared input

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const guidSchema = z.string().regex(GUID, 'must be a GUID such as 4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d (no braces)');

/**
 * App-only Microsoft Graph sign-in with a certificate from the management host's store. None of these is a
 * secret: the private key never leaves the certificate store.
 */
export const graphConnectionInput = {
  tenantId: z.string().refine((v) => GUID.test(v) || DNS_NAME_PATTERN.test(v), 'must be the tenant GUID or one of its domain names'),
  clientId: guidSchema,
  certificateThumbprint: z.string().regex(/^[0-9A-Fa-f]{40}$/, 'must be a certificate thumbprint (40 hex digits)'),
  /** The tenant's national cloud (Connect-MgGraph -Environment, a built-in Get-MgEnvironment name); absent = Global. */
  environment: z.enum(['Global', 'USGov', 'USGovDoD', 'China']).optional(),
};

/**
 * The Microsoft.Graph modules the Intune scripts call. A cold import in a fresh Windows PowerShell 5.1 process can
 * take about two minutes (msgraph-sdk-powershell#688, up to ten in #2479), so every PowerShell process of the pool
 * imports them once when it starts, outside any step's timeout.
 */
export const GRAPH_MODULES = ['Microsoft.Graph.Authentication', 'Microsoft.Graph.Identity.DirectoryManagement', 'Microsoft.Graph.DeviceManagement', 'Microsoft.Graph.Groups'] as const;

/**
 * Still long enough for a cold import (a process whose warm-up import failed, or a host that gained the modules
 * after the process started): a timeout kills the process, so a shorter limit would make every retry start cold again.
 */
export const GRAPH_STEP_TIMEOUT_MS = 5 * 60_000;

/** Graph display names: no control characters, something visible. */
export const displayNameSchema = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\x00-\x1F\x7F]+$/, 'must not contain control characters')
    .regex(/\S/, 'must not be blank');

// ---------------------------------------------------------------- intune.read-tenant

export const intuneTenantSchema = z.object({
  tenantId: guidSchema,
  displayName: z.string(),
  verifiedDomains: z.array(z.string()),
  intune: z.object({
    usable: z.boolean(),
    plans: z.array(z.object({ servicePlanId: z.string(), capabilityStatus: z.string() })),
  }),
});

export const intuneTenantStep = defineStep({
  id: 'intune.read-tenant',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/read-tenant.ps1',
  description: 'Read the tenant id and whether an active Intune licence makes device configuration usable',
  input: z.object(graphConnectionInput),
  output: intuneTenantSchema,
  timeoutMs: GRAPH_STEP_TIMEOUT_MS,
});

// ---------------------------------------------------------------- intune.scan-passport

export const omaSettingSchema = z.object({
  displayName: z.string(),
  omaUri: z.string(),
  valueType: z.enum(['boolean', 'integer', 'string', 'other']),
  value: z.union([z.boolean(), z.number(), z.string()]).nullable(),
});

export const assignmentTargetSchema = z.object({
  targetType: z.enum(['group', 'exclusionGroup', 'allDevices', 'allLicensedUsers', 'other']),
  groupId: z.string().nullable(),
});

export const passportProfileSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  /** #microsoft.graph.windows10CustomConfiguration (OMA-URI settings) or #microsoft.graph.windowsIdentityProtectionConfiguration (the WHfB template). */
  odataType: z.string(),
  settings: z.array(omaSettingSchema),
  usesCloudTrust: z.boolean(),
  /** UsePassportForWork as the profile sets it (false also when the template blocks WHfB); null = not set. */
  usePassportForWork: z.boolean().nullable(),
  certificateTrustEnabled: z.boolean(),
  assignments: z.array(assignmentTargetSchema),
  /** The identity-protection template's WHfB members; null for a custom profile. Absent in results recorded before they were read. */
  template: z.object({ windowsHelloForBusinessBlocked: z.boolean(), useCertificatesForOnPremisesAuthEnabled: z.boolean(), securityDeviceRequired: z.boolean() }).nullable().optional(),
});

/** A settings-catalog or Endpoint Security account-protection policy (beta configurationPolicies) with PassportForWork settings. */
export const catalogPassportPolicySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** templateReference.templateFamily: 'none' for a plain catalog policy, 'endpointSecurityAccountProtection', … */
  templateFamily: z.string(),
  /** device_vendor_msft_passportforwork_{tenantid}_policies_… or user_vendor_…; value: the chosen option's itemId or a simple value. */
  settings: z.array(z.object({ settingDefinitionId: z.string(), value: z.string().nullable() })),
  assignments: z.array(assignmentTargetSchema),
});

export const passportScanSchema = z.object({
  intuneUsable: z.boolean(),
  profiles: z.array(passportProfileSchema),
  /** omaUri: the OMA-URI of a custom profile's setting, or the template property of an identity-protection profile. */
  conflicts: z.array(z.object({ profileId: z.string(), displayName: z.string(), omaUri: z.string(), kind: z.enum(['certificateTrust', 'whfbBlocked']), reason: z.string() })),
  /** Groups that receive PassportForWork settings from Intune: compare with the GPO channel's targets. */
  assignedGroupIds: z.array(z.string()),
  /** Some WHfB profile targets all devices or all licensed users: every device gets Intune WHfB settings. */
  assignedToAll: z.boolean(),
  /** Absent in results recorded before the catalog was read. */
  catalogPolicies: z.array(catalogPassportPolicySchema).optional(),
  /** The tenant-wide WHfB enrollment configuration's state; unknown when the app may not read it. */
  enrollmentState: z.enum(['enabled', 'disabled', 'notConfigured', 'unknown']).optional(),
});

export const intuneScanPassportStep = defineStep({
  id: 'intune.scan-passport',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/scan-passport.ps1',
  description: 'Find custom OMA-URI, identity-protection, settings-catalog and account-protection policies with WHfB settings, their assignments, certificate-trust or WHfB-blocked conflicts, and the tenant-wide enrollment state',
  input: z.object(graphConnectionInput),
  output: passportScanSchema,
  timeoutMs: 5 * 60_000,
});

// ---------------------------------------------------------------- intune.ensure-group

export const entraGroupSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  mailNickname: z.string(),
  mailEnabled: z.boolean(),
  securityEnabled: z.boolean(),
});

export const intuneEnsureGroupStep = defineStep({
  id: 'intune.ensure-group',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/ensure-group.ps1',
  description: 'Ensure the Entra security group that receives the cloud-trust profile exists',
  input: z.object({ ...graphConnectionInput, displayName: displayNameSchema(256), ...planOnlyInput }),
  output: setResultSchema(entraGroupSchema),
  timeoutMs: GRAPH_STEP_TIMEOUT_MS,
});

// ---------------------------------------------------------------- intune.ensure-profile

const characterUsage = z.number().int().min(0).max(2); // 0 allowed, 1 required, 2 not allowed

export const cloudTrustProfileSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string(),
  odataType: z.string(),
  omaSettings: z.array(omaSettingSchema),
});

export const intuneEnsureProfileStep = defineStep({
  id: 'intune.ensure-profile',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/ensure-profile.ps1',
  description: 'Ensure the custom OMA-URI profile with UsePassportForWork (unless the tenant-wide enrollment configuration enables WHfB), UseCloudTrustForOnPremAuth and the asked PassportForWork options exists exactly',
  input: z
    .object({
      ...graphConnectionInput,
      displayName: displayNameSchema(200),
      description: z.string().max(1000).default('Windows Hello for Business cloud Kerberos trust'),
      requireSecurityDevice: z.boolean().default(false),
      pinMinimumLength: z.number().int().min(4).max(127).optional(),
      pinMaximumLength: z.number().int().min(4).max(127).optional(),
      pinDigits: characterUsage.optional(),
      pinLowercaseLetters: characterUsage.optional(),
      pinUppercaseLetters: characterUsage.optional(),
      pinSpecialCharacters: characterUsage.optional(),
      pinHistory: z.number().int().min(0).max(50).optional(),
      pinExpiration: z.number().int().min(0).max(730).optional(),
      ...planOnlyInput,
    })
    .refine((v) => v.pinMinimumLength === undefined || v.pinMaximumLength === undefined || v.pinMinimumLength <= v.pinMaximumLength, {
      message: 'pinMinimumLength must not exceed pinMaximumLength',
      path: ['pinMinimumLength'],
    }),
  output: setResultSchema(cloudTrustProfileSchema).extend({
    /** What enables WHfB on the devices: this profile's UsePassportForWork, or the tenant-wide enrollment configuration. */
    whfb: z.object({ enabledBy: z.enum(['profile', 'enrollmentConfiguration']), enrollmentState: z.enum(['enabled', 'disabled', 'notConfigured', 'unknown']) }),
  }),
  timeoutMs: GRAPH_STEP_TIMEOUT_MS,
});

// ---------------------------------------------------------------- intune.ensure-assignment / intune.rollback-profile

export const profileAssignmentSchema = z.object({
  profileId: z.string(),
  profileDisplayName: z.string(),
  assignments: z.array(assignmentTargetSchema),
  groupAssigned: z.boolean(),
});

export const intuneEnsureAssignmentStep = defineStep({
  id: 'intune.ensure-assignment',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/ensure-assignment.ps1',
  description: 'Ensure the profile is assigned to the group, keeping every other assignment (assign replaces the whole set)',
  input: z.object({ ...graphConnectionInput, profileDisplayName: displayNameSchema(200), groupId: guidSchema, ...planOnlyInput }),
  output: setResultSchema(profileAssignmentSchema),
  timeoutMs: GRAPH_STEP_TIMEOUT_MS,
});

export const intuneRollbackStep = defineStep({
  id: 'intune.rollback-profile',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/rollback-profile.ps1',
  description: "Remove the group's assignment from the profile (other assignments stay), or delete the profile when asked",
  input: z
    .object({ ...graphConnectionInput, profileDisplayName: displayNameSchema(200), groupId: guidSchema.optional(), deleteProfile: z.boolean().default(false), ...planOnlyInput })
    .refine((v) => v.deleteProfile || v.groupId !== undefined, { message: 'groupId is required unless deleteProfile is true', path: ['groupId'] }),
  output: setResultSchema(profileAssignmentSchema),
  timeoutMs: GRAPH_STEP_TIMEOUT_MS,
});

// ---------------------------------------------------------------- clients.read-devices

export const hostNameSchema = z.string().regex(HOST_NAME_PATTERN, 'must be a computer name or FQDN');

export const provisioningEventSchema = z.object({
  id: z.number().int(),
  timeCreated: z.string(),
  level: z.number().int().nullable(),
  /** Rendered in the device's OS language. */
  message: z.string(),
  /** The EventData fields by name (language-neutral). */
  data: z.record(z.string(), z.string()).default({}),
});

/** How dsregcmd was collected: in the signed-in user's session (a scheduled task) or over remoting (the remoting account). */
export const CLIENT_COLLECT_MODES = ['user-session-task', 'remoting'] as const;

export const clientFactsSchema = z.object({
  name: z.string(),
  /** Whose dsregcmd User State and SSO State these are. */
  collectedAs: z.enum(['signed-in-user', 'remoting-account']),
  /** The user signed in at the console (DOMAIN\\user) when collected in the user's session; null = nobody (or remoting). */
  signedInUser: z.string().nullable(),
  reachable: z.boolean(),
  error: z.string().nullable(),
  osBuild: z.string().nullable(),
  azureAdJoined: z.boolean().nullable(),
  domainJoined: z.boolean().nullable(),
  tenantId: z.string().nullable(),
  ngcSet: z.boolean().nullable(),
  onPremTgt: z.boolean().nullable(),
  cloudTgt: z.boolean().nullable(),
  azureAdPrt: z.boolean().nullable(),
  certEnrollment: z.string().nullable(),
  ngcPolicyEnabled: z.boolean().nullable(),
  preReqResult: z.string().nullable(),
  prerequisiteOnPremTgt: z.boolean().nullable(),
  events: z.array(provisioningEventSchema),
});

export const clientsSampleStep = defineStep({
  id: 'clients.read-devices',
  script: 'clients/read-devices.ps1',
  description: "Sample clients: dsregcmd /status in the signed-in user's session (or over remoting) and User Device Registration events 358/360/362/300/301",
  input: z.object({
    computerName: z.array(hostNameSchema).min(1).max(500),
    maxEvents: z.number().int().min(1).max(100).default(20),
    collect: z.enum(CLIENT_COLLECT_MODES).default('user-session-task'),
    credential: credentialSchema.optional(),
  }),
  output: z.object({ devices: z.array(clientFactsSchema) }),
  credentialFields: ['credential'],
  // The script asks 32 devices at a time with a 15 s OpenTimeout: 500 dead devices take 16 waves, 4 minutes; in
  // the user's session each device waits at most 30 s for its task: 16 waves of 30 s, 8 minutes.
  timeoutMs: 10 * 60_000,
});

/** The intune step contracts (the Intune policy channel and client sampling). */
export const intuneSteps: readonly StepContract[] = [
  intuneTenantStep,
  intuneScanPassportStep,
  intuneEnsureGroupStep,
  intuneEnsureProfileStep,
  intuneEnsureAssignmentStep,
  intuneRollbackStep,
  clientsSampleStep,
];
