import { z } from 'zod';
import { MAX_DOMAINS, runbookSizeProblem } from './limits';
import { CLOUD_OF_ENVIRONMENT } from './cloud';
import { keyRotationOptionsSchema } from './key-rotation';
import { dnsNameSchema, HOST_NAME_PATTERN, ID_NAME_PATTERN } from './names';
import { INTUNE_DELIVERIES } from './intune-delivery';
import { withoutPrototype } from './reserved-keys';
import { gpoTargetOutsideDomain, gpoTargetSchema } from './distinguished-names';

/**
 * The rollout spec: the one input of a rollout. Pure (no Node built-ins) so workflows can import it.
 * Secrets appear only as names (`secret`), resolved inside activities.
 */

const secretName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a secret name (letters, digits, _ . -), never a value');
const upn = z.string().max(256).regex(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/, 'must be a user principal name such as admin@contoso.com');
/**
 * GPO, group and profile names. Values never reach PowerShell as code, but a name that could read as code (quotes,
 * $, ;, |, backticks, line breaks) is refused anyway: an identity team's object names do not need them.
 */
const objectName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.()-]*$/u, 'must be a name of letters, digits, spaces and _ . ( ) - (no quotes, $, ;, |, backticks or line breaks)');
const duration = z.string().regex(/^\d+\s*(ms|s|m|h|d)$/, 'must be a duration such as 30s, 15m, 24h or 2d');
const taskQueue = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be a task queue name');

/** How the Azure AD Kerberos server object is signed in to Entra. */
export const cloudSignInSchema = z.union([
  z.object({ secret: secretName }).strict(),
  z.object({ interactive: z.object({ userPrincipalName: upn, domainAdminUserPrincipalName: upn.optional() }).strict() }).strict(),
]);

const pinComplexitySchema = z
  .object({
    minimumLength: z.number().int().min(4).max(127).optional(),
    maximumLength: z.number().int().min(4).max(127).optional(),
    uppercaseLetters: z.enum(['allow', 'require', 'disallow']).optional(),
    lowercaseLetters: z.enum(['allow', 'require', 'disallow']).optional(),
    specialCharacters: z.enum(['allow', 'require', 'disallow']).optional(),
    digits: z.enum(['allow', 'require', 'disallow']).optional(),
    history: z.number().int().min(0).max(50).optional(),
    expirationDays: z.number().int().min(0).max(730).optional(),
  })
  .strict()
  .refine((p) => p.minimumLength === undefined || p.maximumLength === undefined || p.minimumLength <= p.maximumLength, {
    message: 'minimumLength must not exceed maximumLength',
    path: ['minimumLength'],
  });

const policyName = objectName.default('cloudtrust - Windows Hello for Business cloud Kerberos trust');
/** The error of a channel block left out: what the channel needs, not a type error. */
const missingBlock = (message: string) => (issue: { input: unknown }) => (issue.input === undefined ? message : undefined);
const otherChannelsBlock = (message: string) => z.never({ error: `${message}: never both channels for the same devices` }).optional();

const gpoBlockSchema = z
  .object(
    {
      name: policyName,
      targets: z.array(gpoTargetSchema).min(1),
      computerGroup: objectName,
    },
    { error: missingBlock('the gpo channel needs a gpo block (targets, computerGroup)') },
  )
  .strict();

const intuneBlockSchema = z
  .object(
    {
      group: objectName,
      /** The policy's name: the settings-catalog policy, or the custom OMA-URI profile. */
      profile: policyName,
      /** How the policy reaches the devices: a settings-catalog policy (Microsoft's primary path) or a custom OMA-URI profile. */
      delivery: z.enum(INTUNE_DELIVERIES).default('settings-catalog'),
    },
    { error: missingBlock('the intune channel needs an intune block (group)') },
  )
  .strict();

/** What every domain has, whatever its channel. */
const domainFields = {
  /** AD admin for this domain, by secret name; absent = the worker's own logon. */
  domainCredential: z.object({ secret: secretName }).strict().optional(),
  cloudSignIn: cloudSignInSchema.optional(),
  /**
   * Overwrite an Azure AD Kerberos server object of this domain that another tenant created (its AD half exists,
   * this tenant has no KerberosDomain for it). Absent = refuse: the other tenant's cloud Kerberos trust stops working.
   */
  kerberosTakeOver: z.boolean().optional(),
  /** Devices to sample after the policy is in place. */
  sampleDevices: z.array(z.string().regex(HOST_NAME_PATTERN, 'must be a device host name')).max(50).default([]),
  /**
   * How the sample devices' dsregcmd is read: in the signed-in user's session by a one-shot scheduled task
   * (user-session-task, the default), from the operator's import of an Intune remediation's output
   * (remediation-output: the rollout samples nothing), or over remoting (remoting: the remoting account's state).
   */
  clientVerification: z.object({ collect: z.enum(['user-session-task', 'remediation-output', 'remoting']).default('user-session-task') }).strict().optional(),
};

/** A domain whose policy is a GPO: the gpo block, never an intune one. */
const gpoDomainSchema = z
  .object({ name: dnsNameSchema, channel: z.literal('gpo'), gpo: gpoBlockSchema, intune: otherChannelsBlock('a gpo-channel domain must not also have an intune block'), ...domainFields })
  .strict();

/** A domain whose policy comes from Intune: the intune block, never a gpo one. */
const intuneDomainSchema = z
  .object({ name: dnsNameSchema, channel: z.literal('intune'), gpo: otherChannelsBlock('an intune-channel domain must not also have a gpo block'), intune: intuneBlockSchema, ...domainFields })
  .strict();

/** One domain of the spec; its `channel` decides which block it has. */
export const domainSpecSchema = z.discriminatedUnion('channel', [gpoDomainSchema, intuneDomainSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be gpo (Group Policy) or intune' : undefined),
});

export const ringNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a ring name (letters, digits, _ . -)');

export const ringSpecSchema = z
  .object({
    name: ringNameSchema,
    domains: z.array(dnsNameSchema).min(1),
    concurrency: z.number().int().min(1).max(100).default(2),
    /** Domain failures tolerated in this ring; one more halts the ring and the rollout. */
    failureBudget: z.number().int().min(0).default(0),
    /** An approval gate before this ring starts. */
    approval: z.object({ required: z.literal(true), timeout: duration.optional() }).strict().optional(),
    /** AD groups (names, resolved in each of the ring's domains) whose users are checked before the ring starts. */
    userGroups: z.array(objectName).min(1).max(50).optional(),
    /** What a user who cannot use cloud trust does to the ring: warn (absent) reports it; block halts before the ring's changes. */
    userReadiness: z.enum(['warn', 'block']).optional(),
  })
  .strict();

export const rolloutSpecSchema = z
  .object({
    name: z.string().regex(ID_NAME_PATTERN, 'must be lower-case letters, digits and dashes (it names the rollout workflow)'),
    tenant: z
      .object({
        id: z.guid('must be the tenant id (a GUID without braces)'),
        /** The tenant's national cloud (Set-AzureADKerberosServerEndpoint); absent = the one graph.environment implies, else public. */
        cloud: z.enum(['public', 'usgovernment', 'china'], { error: 'must be public, usgovernment or china' }).optional(),
        graph: z
          .object({
            clientId: z.guid(),
            certificateThumbprint: z.string().regex(/^[0-9A-Fa-f]{40}$/, 'must be a 40-hex certificate thumbprint'),
            /** The tenant's national cloud, as Connect-MgGraph -Environment names it; absent = Global. */
            environment: z.enum(['Global', 'USGov', 'USGovDoD', 'China'], { error: 'must be a Microsoft Graph environment: Global, USGov (GCC High), USGovDoD (DoD) or China (21Vianet)' }).optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    cloudSignIn: cloudSignInSchema,
    domains: z.array(domainSpecSchema).min(1).max(MAX_DOMAINS, `at most ${MAX_DOMAINS} domains per rollout (Temporal's 2 MB payload limit bounds the rollout's record): split a larger estate into several specs`),
    rings: z.array(ringSpecSchema).min(1),
    options: z
      .object({
        requireSecurityDevice: z.boolean().default(false),
        pinComplexity: pinComplexitySchema.optional(),
        moduleMinimumVersion: z.string().regex(/^\d+(\.\d+){1,3}$/).default('2.1.1.0'),
        preflightConcurrency: z.number().int().min(1).max(100).default(5),
        /** A domain failing preflight halts the whole rollout instead of being skipped. */
        haltOnPreflightFailure: z.boolean().default(false),
        /** Writable DCs at a supported build each site of a domain needs; absent = 1 (Microsoft: at least one per site). */
        minimumCapableDcsPerSite: z.number().int().min(1).max(100).optional(),
        replicationTimeout: duration.default('30m'),
        replicationPollInterval: duration.default('30s'),
        /** Key rotation: the double rotation's cooldown and the key age finding (model/key-rotation.ts). */
        keyRotation: keyRotationOptionsSchema.optional(),
        /** Domains per batch child of a ring (workflows/rollout-batched.ts); absent = 250. Above 500 a batch's history would near Temporal's warning threshold. */
        domainsPerBatch: z.number().int().min(1).max(500).optional(),
      })
      .strict()
      .default({ requireSecurityDevice: false, moduleMinimumVersion: '2.1.1.0', preflightConcurrency: 5, haltOnPreflightFailure: false, replicationTimeout: '30m', replicationPollInterval: '30s' }),
    /** Task queue per forest for the steps of its domains (a worker with line of sight to those DCs); the rest use `default`. */
    routing: z
      .object({
        default: taskQueue.optional(),
        /** By forest root: a domain belongs to the forest whose name it equals or ends with. */
        forests: z.record(dnsNameSchema, taskQueue).default({}),
        /** By domain, for trees whose names do not sit under their forest root. */
        domains: z.record(dnsNameSchema, taskQueue).default({}),
      })
      .strict()
      .prefault({})
      .transform((routing) => ({ ...routing, forests: withoutPrototype(routing.forests), domains: withoutPrototype(routing.domains) })),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const environment = spec.tenant.graph?.environment;
    if (spec.tenant.cloud && environment && CLOUD_OF_ENVIRONMENT[environment] !== spec.tenant.cloud) {
      ctx.addIssue({ code: 'custom', message: `Graph environment ${environment} is not in the ${spec.tenant.cloud} cloud that tenant.cloud names`, path: ['tenant', 'graph', 'environment'] });
    }
    const declared = new Map(spec.domains.map((d, i) => [d.name.toLowerCase(), i]));
    spec.domains.forEach((d, i) => {
      if (declared.get(d.name.toLowerCase()) !== i) ctx.addIssue({ code: 'custom', message: `domain ${d.name} is declared twice`, path: ['domains', i, 'name'] });
      if (d.channel === 'gpo') {
        d.gpo.targets.forEach((target, t) => {
          const outside = gpoTargetOutsideDomain(target, d.name);
          if (outside) ctx.addIssue({ code: 'custom', message: outside, path: ['domains', i, 'gpo', 'targets', t] });
        });
      }
      if (d.channel === 'intune' && !spec.tenant.graph) ctx.addIssue({ code: 'custom', message: 'an intune-channel domain needs tenant.graph (clientId, certificateThumbprint)', path: ['domains', i, 'channel'] });
    });
    const placed = new Map<string, string>();
    spec.rings.forEach((ring, r) => {
      if (spec.rings.findIndex((other) => other.name === ring.name) !== r) ctx.addIssue({ code: 'custom', message: `ring ${ring.name} is declared twice`, path: ['rings', r, 'name'] });
      ring.domains.forEach((name, i) => {
        const key = name.toLowerCase();
        if (!declared.has(key)) ctx.addIssue({ code: 'custom', message: `domain ${name} is not declared under domains`, path: ['rings', r, 'domains', i] });
        else if (placed.has(key)) ctx.addIssue({ code: 'custom', message: `domain ${name} is already in ring ${placed.get(key)}`, path: ['rings', r, 'domains', i] });
        else placed.set(key, ring.name);
      });
    });
    spec.domains.forEach((d, i) => {
      if (!placed.has(d.name.toLowerCase())) ctx.addIssue({ code: 'custom', message: `domain ${d.name} is in no ring`, path: ['domains', i, 'name'] });
    });
  });

/** For runbook requests: the domains they would work through, at most RUNBOOK_MAX_DOMAINS (model/limits.ts). */
export function addRunbookSizeIssues(request: { spec: { domains: unknown[] }; domains?: string[] }, ctx: z.RefinementCtx): void {
  const problem = runbookSizeProblem((request.domains ?? request.spec.domains).length);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['domains'] });
}

/** For requests that name a subset of a spec's domains (key rotation, rollback, schedules): each must be declared. */
export function addUndeclaredDomainIssues(request: { spec: { domains: Array<{ name: string }> }; domains?: string[] }, ctx: z.RefinementCtx): void {
  const declared = new Set(request.spec.domains.map((d) => d.name.toLowerCase()));
  request.domains?.forEach((name, i) => {
    if (!declared.has(name.toLowerCase())) ctx.addIssue({ code: 'custom', message: `domain ${name} is not declared in the spec`, path: ['domains', i] });
  });
}

export type RolloutSpec = z.output<typeof rolloutSpecSchema>;
export type RolloutSpecInput = z.input<typeof rolloutSpecSchema>;
export type DomainSpec = z.output<typeof domainSpecSchema>;
export type GpoDomainSpec = z.output<typeof gpoDomainSchema>;
export type IntuneDomainSpec = z.output<typeof intuneDomainSchema>;
export type RingSpec = z.output<typeof ringSpecSchema>;
export type CloudSignIn = z.output<typeof cloudSignInSchema>;
