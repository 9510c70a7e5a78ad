import { z } from 'zod';
import { dnsNameSchema } from '../../model/names';
import { defineStep, type StepContract } from './contract';
import { graphConnectionInput } from './intune';
import { domainCredentialSchema } from './kerberos';

/** AD group names as the spec allows them (model/spec.ts objectName). */
const groupNameSchema = z.string().min(1).max(256).regex(/^[\p{L}\p{N}][\p{L}\p{N} _.()-]*$/u, 'must be a group name of letters, digits, spaces and _ . ( ) -');
const sidSchema = z.string().regex(/^S-1-[0-9-]+$/, 'must be a security identifier such as S-1-5-21-…-513');

export const replicationPrincipalSchema = z.object({ name: z.string(), distinguishedName: z.string(), objectClass: z.string(), sid: z.string() });

export const kerberosReplicationPolicyStep = defineStep({
  id: 'kerberos.read-replication-policy',
  script: 'kerberos/read-replication-policy.ps1',
  description: 'Read the password replication policy of the AzureADKerberos object and which user groups it denies',
  input: z.object({ domain: dnsNameSchema, userGroups: z.array(groupNameSchema).max(50).default([]), domainCredential: domainCredentialSchema.optional() }),
  output: z.object({
    domain: z.string(),
    objectDn: z.string(),
    present: z.boolean(),
    allowed: z.array(replicationPrincipalSchema),
    denied: z.array(replicationPrincipalSchema),
    /** Groups on or nested under the denied list. */
    deniedGroupCount: z.number().int(),
    groups: z.array(
      z.object({
        name: z.string(),
        found: z.boolean(),
        /** The denied principal the group itself is listed as, or nested in; null when the group is not denied. */
        deniedVia: z.string().nullable(),
        users: z.number().int(),
        deniedUsers: z.number().int(),
        deniedExamples: z.array(z.string()),
      }),
    ),
  }),
  credentialFields: ['domainCredential'],
  timeoutMs: 5 * 60_000,
});

export const readinessUserSchema = z.object({
  samAccountName: z.string(),
  userPrincipalName: z.string().nullable(),
  ready: z.boolean(),
  reasons: z.array(z.string()),
});

export const userReadinessStep = defineStep({
  id: 'users.check-readiness',
  script: 'users/check-readiness.ps1',
  description: 'Check that the users of the given groups can sign in with cloud Kerberos trust',
  warmUpModules: ['Microsoft.Graph.Authentication'],
  input: z.object({
    domain: dnsNameSchema,
    userGroups: z.array(groupNameSchema).min(1).max(50),
    allowedSids: z.array(sidSchema).max(200).default([]),
    deniedSids: z.array(sidSchema).max(200).default([]),
    /** Names of deniedSids, in the same order, for the report. */
    deniedNames: z.array(z.string().max(256)).max(200).default([]),
    maxUsers: z.number().int().min(1).max(5000).default(500),
    domainCredential: domainCredentialSchema.optional(),
    tenantId: graphConnectionInput.tenantId.optional(),
    clientId: graphConnectionInput.clientId.optional(),
    certificateThumbprint: graphConnectionInput.certificateThumbprint.optional(),
    environment: graphConnectionInput.environment,
  }),
  output: z.object({
    domain: z.string(),
    groups: z.array(z.object({ name: z.string(), found: z.boolean(), users: z.number().int() })),
    totalUsers: z.number().int(),
    checked: z.number().int(),
    entraChecked: z.boolean(),
    users: z.array(readinessUserSchema),
  }),
  credentialFields: ['domainCredential'],
  timeoutMs: 10 * 60_000,
});

export const userReadinessSteps: readonly StepContract[] = [kerberosReplicationPolicyStep, userReadinessStep];
