import { z } from 'zod';
import type { StepContract } from './contract';
import { defineStep } from './contract';
import { planOnlyInput, setResultSchema } from './set-result';
export { catalogSetting, PASSPORT_GROUP } from '../../model/intune-delivery';
import { assignmentTargetSchema, displayNameSchema, GRAPH_MODULES, GRAPH_STEP_TIMEOUT_MS, graphConnectionInput, guidSchema } from './intune';

export const catalogChoiceSchema = z.object({ settingDefinitionId: z.string(), value: z.string().nullable() });

export const catalogPolicySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  platforms: z.string(),
  technologies: z.string(),
  /** templateReference.templateFamily: 'none' for a plain settings-catalog policy. */
  templateFamily: z.string(),
  /** Every choice setting of the policy, group collections walked into: definition id and chosen option. */
  settings: z.array(catalogChoiceSchema),
});

export const catalogAssignmentSchema = z.object({
  policyId: z.string(),
  policyName: z.string(),
  assignments: z.array(assignmentTargetSchema),
  groupAssigned: z.boolean(),
});

// ---------------------------------------------------------------- intune.read-catalog-policy

export const intuneCatalogReadStep = defineStep({
  id: 'intune.read-catalog-policy',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/read-catalog-policy.ps1',
  description: 'Read the settings-catalog policy back: its choice settings and its assignments',
  input: z.object({ ...graphConnectionInput, policyName: displayNameSchema(200) }),
  output: z.object({ policy: catalogPolicySchema.nullable(), assignments: z.array(assignmentTargetSchema) }),
  timeoutMs: GRAPH_STEP_TIMEOUT_MS,
});

// ---------------------------------------------------------------- intune.ensure-catalog-policy

export const intuneEnsureCatalogPolicyStep = defineStep({
  id: 'intune.ensure-catalog-policy',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/ensure-catalog-policy.ps1',
  description: 'Ensure the settings-catalog policy with UsePassportForWork (unless the tenant-wide enrollment configuration enables WHfB), UseCloudTrustForOnPremAuth and the asked RequireSecurityDevice exists exactly',
  input: z.object({
    ...graphConnectionInput,
    name: displayNameSchema(200),
    description: z.string().max(1000).default('Windows Hello for Business cloud Kerberos trust'),
    requireSecurityDevice: z.boolean().default(false),
    ...planOnlyInput,
  }),
  output: setResultSchema(catalogPolicySchema).extend({
    whfb: z.object({ enabledBy: z.enum(['profile', 'enrollmentConfiguration']), enrollmentState: z.enum(['enabled', 'disabled', 'notConfigured', 'unknown']) }),
  }),
  timeoutMs: GRAPH_STEP_TIMEOUT_MS,
});

// ---------------------------------------------------------------- intune.ensure-catalog-assignment / intune.rollback-catalog-policy

export const intuneEnsureCatalogAssignmentStep = defineStep({
  id: 'intune.ensure-catalog-assignment',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/ensure-catalog-assignment.ps1',
  description: 'Ensure the settings-catalog policy is assigned to the group, keeping every other assignment (assign replaces the whole set)',
  input: z.object({ ...graphConnectionInput, policyName: displayNameSchema(200), groupId: guidSchema, ...planOnlyInput }),
  output: setResultSchema(catalogAssignmentSchema),
  timeoutMs: GRAPH_STEP_TIMEOUT_MS,
});

export const intuneCatalogRollbackStep = defineStep({
  id: 'intune.rollback-catalog-policy',
  warmUpModules: GRAPH_MODULES,
  script: 'intune/rollback-catalog-policy.ps1',
  description: "Remove the group's assignment from the settings-catalog policy (other assignments stay), or unassign and then delete the policy when asked",
  input: z
    .object({ ...graphConnectionInput, policyName: displayNameSchema(200), groupId: guidSchema.optional(), deletePolicy: z.boolean().default(false), ...planOnlyInput })
    .refine((v) => v.deletePolicy || v.groupId !== undefined, { message: 'groupId is required unless deletePolicy is true', path: ['groupId'] }),
  output: setResultSchema(catalogAssignmentSchema),
  timeoutMs: GRAPH_STEP_TIMEOUT_MS,
});

/** The settings-catalog channel's step contracts. */
export const intuneCatalogSteps: readonly StepContract[] = [intuneCatalogReadStep, intuneEnsureCatalogPolicyStep, intuneEnsureCatalogAssignmentStep, intuneCatalogRollbackStep];
