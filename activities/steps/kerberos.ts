import { z } from 'zod';
import { dnsNameSchema } from '../../model/names';
import { defineStep, type StepContract } from './contract';
import { credentialSchema } from './credential';
import { planOnlyInput, setResultSchema } from './set-result';

/** -DomainCredential must be a UPN: DOMAIN\user against another domain binds over NTLM and fails (reference §1.3). */
export const domainCredentialSchema = credentialSchema.refine((c) => /^[^@\s\\]+@[^@\s\\]+\.[^@\s\\]+$/.test(c.userName), {
  message: 'must be in UPN form such as admin@corp.contoso.com: DOMAIN\\user binds over NTLM and fails against another domain',
  path: ['userName'],
});

const signIn = {
  domain: dnsNameSchema,
  cloudCredential: credentialSchema,
  domainCredential: domainCredentialSchema.optional(),
  /** The tenant's cloud: the module's endpoint (Set-AzureADKerberosServerEndpoint) is set to it first. */
  cloud: z.enum(['public', 'usgovernment', 'china']).default('public'),
};
const credentialFields = ['cloudCredential', 'domainCredential'] as const;
/**
 * AzureADHybridAuthenticationManagement is a .NET Framework module: under PowerShell 7 its cmdlets fail with
 * "Operation is not supported on this platform" (MicrosoftDocs/azure-docs#110070), so its four steps run in
 * Windows PowerShell 5.1 (fidelity review row 4).
 */
const edition = 'desktop' as const;
const text = z.string().nullable();

/** Get-AzureADKerberosServer's properties; all null when the object is not configured. */
export const kerberosServerStateSchema = z.object({
  id: text,
  userAccount: text,
  computerAccount: text,
  displayName: text,
  domainDnsName: text,
  keyVersion: text,
  keyUpdatedOn: text,
  keyUpdatedFrom: text,
  cloudId: text,
  cloudDisplayName: text,
  cloudDomainDnsName: text,
  cloudKeyVersion: text,
  cloudKeyUpdatedOn: text,
  cloudTrustDisplay: text,
});
export type KerberosServerState = z.infer<typeof kerberosServerStateSchema>;

export const kerberosSummarySchema = z.object({
  configured: z.boolean(),
  consistent: z.boolean(),
  problems: z.array(z.string()),
  id: z.string(),
  keyVersion: z.string(),
  cloudKeyVersion: z.string(),
});

const keyStateSchema = z.object({
  configured: z.boolean(),
  keyVersion: z.string(),
  cloudKeyVersion: z.string(),
  keyUpdatedOn: z.string().nullable(),
});

export const getKerberosServerStep = defineStep({
  id: 'kerberos.read-server',
  edition,
  script: 'kerberos/read-server.ps1',
  description: 'Read the Azure AD Kerberos server object (both halves)',
  input: z.object(signIn),
  output: kerberosServerStateSchema,
  credentialFields,
  timeoutMs: 3 * 60_000,
});

export const ensureKerberosServerStep = defineStep({
  id: 'kerberos.ensure-server',
  edition,
  script: 'kerberos/ensure-server.ps1',
  description: 'Create the Azure AD Kerberos server object, or repair it when its halves disagree',
  /** takeOver: overwrite an object of this domain that another tenant created (refused otherwise). */
  input: z.object({ ...signIn, takeOver: z.boolean().default(false), ...planOnlyInput }),
  output: setResultSchema(kerberosSummarySchema),
  credentialFields,
  timeoutMs: 10 * 60_000,
});

export const rotateKerberosKeyStep = defineStep({
  id: 'kerberos.rotate-key',
  edition,
  script: 'kerberos/rotate-key.ps1',
  description: 'Rotate the Azure AD Kerberos server key (once per 24 h unless forced)',
  input: z.object({
    ...signIn,
    requestedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'must be a UTC ISO timestamp such as 2026-11-25T10:00:00Z'),
    force: z.boolean().default(false),
    ...planOnlyInput,
  }),
  output: z.object({
    planOnly: z.boolean(),
    changes: z.array(z.string()),
    skipped: z.string().nullable(),
    before: keyStateSchema,
    after: keyStateSchema,
  }),
  credentialFields,
  timeoutMs: 10 * 60_000,
});

export const removeKerberosServerStep = defineStep({
  id: 'kerberos.remove-server',
  edition,
  script: 'kerberos/remove-server.ps1',
  description: 'Remove the Azure AD Kerberos server object (only when explicitly confirmed)',
  input: z.object({ ...signIn, confirmRemoval: z.literal(true, { message: 'removal must be confirmed explicitly' }), ...planOnlyInput }),
  output: setResultSchema(z.object({ present: z.boolean() })),
  credentialFields,
  timeoutMs: 10 * 60_000,
});

const hostNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'must be a DC host name');

export const kerberosReplicationStep = defineStep({
  id: 'kerberos.check-replication',
  script: 'kerberos/check-replication.ps1',
  description: 'Check that the Kerberos server key has replicated to each writable DC',
  input: z.object({
    domain: dnsNameSchema,
    sourceServer: hostNameSchema,
    servers: z.array(hostNameSchema).min(1).max(500),
    /** A rotation's new KeyVersion: a DC has caught up when it holds this one (else: the source DC's). */
    expectedKeyVersion: z.number().int().positive().optional(),
    domainCredential: domainCredentialSchema.optional(),
  }),
  output: z.object({
    sourceServer: z.string(),
    sourceKeyVersion: z.number().int().nullable(),
    replicas: z.array(
      z.object({
        server: z.string(),
        reachable: z.boolean(),
        keyVersion: z.number().int().nullable(),
        computerObjectPresent: z.boolean(),
        caughtUp: z.boolean(),
        error: z.string().nullable(),
      }),
    ),
  }),
  credentialFields: ['domainCredential'],
  timeoutMs: 5 * 60_000,
});

export const kerberosSteps: readonly StepContract[] = [
  getKerberosServerStep,
  ensureKerberosServerStep,
  rotateKerberosKeyStep,
  removeKerberosServerStep,
  kerberosReplicationStep,
];
