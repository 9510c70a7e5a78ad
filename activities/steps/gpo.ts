import { z } from 'zod';
import { dnsNameSchema } from '../../model/names';
import { defineStep, type StepContract } from './contract';
import { planOnlyInput, setResultSchema } from './set-result';

/*
 * The Group Policy channel (reference: whfb-cloud-trust.md §3 and §7). The patterns below are the same text as the
 * scripts' ValidatePattern attributes (PowerShell matches them case-insensitively, hence the i flags).
 */

export const GPO_NAME_PATTERN = '^[^\\x00-\\x1F]{1,255}$';
/** An OU or the domain itself: the containers a GPO can be linked to within a domain. */
export const LINK_TARGET_PATTERN = '^(OU=([^,\\\\\\x00-\\x1F]|\\\\.)+,)*DC=[A-Za-z0-9-]+(,DC=[A-Za-z0-9-]+)*$';
/** A group's sAMAccountName: none of " / \ [ ] : ; | = , + * ? < > and no control characters. */
export const GROUP_NAME_PATTERN = '^[^"/\\\\\\[\\]:;|=,+*?<>\\x00-\\x1F]{1,256}$';

export const gpoNameSchema = z.string().regex(new RegExp(GPO_NAME_PATTERN), 'must be a GPO display name: 1 to 255 characters, no control characters');
export const linkTargetSchema = z
  .string()
  .max(2048)
  .regex(new RegExp(LINK_TARGET_PATTERN, 'i'), 'must be the distinguished name of an OU or of the domain, e.g. OU=Workstations,DC=corp,DC=contoso,DC=com');
export const groupNameSchema = z.string().regex(new RegExp(GROUP_NAME_PATTERN), 'must be a group name (sAMAccountName)');

/** Character classes of PIN complexity: 0 allowed, 1 required, 2 disallowed (absent = the client default). */
const characterRule = z.number().int().min(0).max(2);

/** PINComplexity registry values (HKLM\SOFTWARE\Policies\Microsoft\PassportForWork\PINComplexity), all optional. */
export const pinComplexitySchema = z
  .object({
    minimumPinLength: z.number().int().min(4).max(127).optional(),
    maximumPinLength: z.number().int().min(4).max(127).optional(),
    uppercaseLetters: characterRule.optional(),
    lowercaseLetters: characterRule.optional(),
    specialCharacters: characterRule.optional(),
    digits: characterRule.optional(),
    history: z.number().int().min(0).max(50).optional(),
    expiration: z.number().int().min(0).max(730).optional(),
  })
  .strict()
  .refine((p) => p.minimumPinLength === undefined || p.maximumPinLength === undefined || p.minimumPinLength <= p.maximumPinLength, {
    message: 'minimumPinLength must not exceed maximumPinLength',
    path: ['minimumPinLength'],
  });
export type PinComplexity = z.infer<typeof pinComplexitySchema>;

/** One registry-based policy setting of a GPO, under PassportForWork in either scope. */
export const gpoRegistryValueSchema = z.object({
  scope: z.enum(['Computer', 'User']),
  /** As Set-GPRegistryValue takes it: HKLM\… for Computer, HKCU\… for User. */
  key: z.string(),
  valueName: z.string(),
  type: z.string(),
  value: z.union([z.number(), z.string()]).nullable(),
  /** Set, or Delete for a setting that deletes the value on clients (Set-GPRegistryValue -Disable). */
  policyState: z.string(),
});

export const gpoLinkSchema = z.object({ target: z.string(), enabled: z.boolean(), enforced: z.boolean() });

export const gpoPermissionSchema = z.object({ trustee: z.string(), trusteeType: z.string(), permission: z.string() });

const gpoReferenceSchema = z.object({ id: z.string(), displayName: z.string() });

// ---------------------------------------------------------------- gpo.scan-passport

export const gpoPassportScanSchema = z.object({
  domain: z.string(),
  scannedGpoCount: z.number().int().nonnegative(),
  /** Every GPO carrying at least one PassportForWork setting (either scope), with its links in the domain. */
  gpos: z.array(
    gpoReferenceSchema.extend({
      status: z.string(),
      values: z.array(gpoRegistryValueSchema),
      links: z.array(gpoLinkSchema),
      /** UseCertificateForOnPremAuth configured in any scope: certificate trust takes precedence over cloud trust. */
      certificateTrust: z.boolean(),
      /** UseCloudTrustForOnPremAuth configured in user scope: only a computer policy exists. */
      userScopeCloudTrust: z.boolean(),
    }),
  ),
  certificateTrustGpos: z.array(gpoReferenceSchema),
  userScopeCloudTrustGpos: z.array(gpoReferenceSchema),
  /** GPOs carrying any WHfB setting: with the Intune channel on the same devices, GPO wins and the CSP is ignored. */
  whfbGpos: z.array(gpoReferenceSchema),
});

export const gpoScanPassportStep = defineStep({
  id: 'gpo.scan-passport',
  script: 'gpo/scan-passport.ps1',
  description: 'List every GPO of a domain that carries Windows Hello for Business (PassportForWork) settings, with its links and conflicts',
  input: z.object({ domain: dnsNameSchema }),
  output: gpoPassportScanSchema,
  timeoutMs: 10 * 60_000,
});

// ---------------------------------------------------------------- gpo.ensure-policy

export const gpoPolicyStateSchema = gpoReferenceSchema.extend({ status: z.string(), values: z.array(gpoRegistryValueSchema) });

export const gpoEnsurePolicyStep = defineStep({
  id: 'gpo.ensure-policy',
  script: 'gpo/ensure-policy.ps1',
  description: 'Ensure a GPO holds exactly the cloud Kerberos trust computer policy (never UseCertificateForOnPremAuth)',
  input: z.object({
    domain: dnsNameSchema,
    gpoName: gpoNameSchema,
    requireSecurityDevice: z.boolean().default(false),
    pinComplexity: pinComplexitySchema.optional(),
    ...planOnlyInput,
  }),
  output: setResultSchema(gpoPolicyStateSchema),
  timeoutMs: 5 * 60_000,
});

// ---------------------------------------------------------------- gpo.ensure-links

export const gpoLinksStateSchema = z.object({ id: z.string(), links: z.array(gpoLinkSchema) });

export const gpoEnsureLinksStep = defineStep({
  id: 'gpo.ensure-links',
  script: 'gpo/ensure-links.ps1',
  description: 'Ensure the GPO is linked, enabled, to each target OU (other links are left alone)',
  input: z.object({
    domain: dnsNameSchema,
    gpoName: gpoNameSchema,
    targets: z.array(linkTargetSchema).min(1).max(500),
    ...planOnlyInput,
  }),
  output: setResultSchema(gpoLinksStateSchema),
  timeoutMs: 5 * 60_000,
});

// ---------------------------------------------------------------- gpo.ensure-filtering

export const gpoFilteringStateSchema = z.object({ id: z.string(), permissions: z.array(gpoPermissionSchema) });

export const gpoEnsureFilteringStep = defineStep({
  id: 'gpo.ensure-filtering',
  script: 'gpo/ensure-filtering.ps1',
  description: 'Filter the GPO to a computer group: the group gets GpoApply, Authenticated Users keep GpoRead (MS16-072)',
  input: z.object({ domain: dnsNameSchema, gpoName: gpoNameSchema, groupName: groupNameSchema, ...planOnlyInput }),
  output: setResultSchema(gpoFilteringStateSchema),
  timeoutMs: 5 * 60_000,
});

// ---------------------------------------------------------------- gpo.rollback-policy

export const gpoRollbackStateSchema = gpoReferenceSchema.extend({ values: z.array(gpoRegistryValueSchema), links: z.array(gpoLinkSchema) });

/**
 * unlink: remove the GPO's links from the given targets. disable: set Enabled = 0 so clients stop provisioning
 * Windows Hello for Business, keeping UseCloudTrustForOnPremAuth so already-provisioned users keep signing in with
 * cloud trust rather than falling back to key trust. The GPO itself is never deleted.
 */
export const gpoRollbackStep = defineStep({
  id: 'gpo.rollback-policy',
  script: 'gpo/rollback-policy.ps1',
  description: 'Roll the GPO channel back: unlink the GPO from targets, or disable Windows Hello for Business in it (never deletes it)',
  input: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('unlink'), domain: dnsNameSchema, gpoName: gpoNameSchema, targets: z.array(linkTargetSchema).min(1).max(500), ...planOnlyInput }),
    z.object({ mode: z.literal('disable'), domain: dnsNameSchema, gpoName: gpoNameSchema, ...planOnlyInput }),
  ]),
  output: setResultSchema(gpoRollbackStateSchema),
  timeoutMs: 5 * 60_000,
});

/** The gpo step contracts. */
export const gpoSteps: readonly StepContract[] = [gpoScanPassportStep, gpoEnsurePolicyStep, gpoEnsureLinksStep, gpoEnsureFilteringStep, gpoRollbackStep];
