import { z } from 'zod';
import { RUN_KINDS } from '../client/runs';
import { dnsNameSchema, ID_NAME_PATTERN } from '../model/names';
import { NOT_RESERVED_KEY_PATTERN } from '../model/reserved-keys';
import { scheduleNameSchema } from '../model/schedule-request';
import { addRunbookSizeIssues, addUndeclaredDomainIssues, ringNameSchema, rolloutSpecSchema } from '../model/spec';
import { HOOK_ACTIONS, hookNameSchema } from './hooks';
import { queryInteger, queryList } from './query-parameters';

/** Request and response schemas of the API. Requests are validated with them; the OpenAPI document is built from them. */

const specNameSchema = z.string().regex(ID_NAME_PATTERN, 'must be a spec name (lower-case letters, digits and dashes)');
const runIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:._/-]{0,254}$/, 'must be a run id such as cloudtrust:contoso-wave1');
/** Free text that ends up in a report: one line, no control characters. */
const noteSchema = z.string().min(1).max(500).regex(/^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$/, 'must be one line of text without control characters');
const modeSchema = z.enum(['plan', 'apply']);

export const runIdParams = z.object({ id: runIdSchema }).strict();
export const scheduleNameParams = z.object({ name: scheduleNameSchema }).strict();
export const hookNameParams = z.object({ name: hookNameSchema }).strict();

export const listRunsQuery = z
  .object({
    kind: queryList(RUN_KINDS)
      .optional()
      .describe(`comma-separated kinds: ${RUN_KINDS.join(', ')}`),
    spec: specNameSchema.optional(),
    limit: queryInteger(1, 500)
      .optional()
      .describe('at most this many runs, newest first (1–500, default 50)'),
  })
  .strict();

export const reportQuery = z.object({ format: z.enum(['json', 'md', 'html']).default('json') }).strict();

export const startRolloutBody = z
  .object({
    mode: modeSchema,
    spec: rolloutSpecSchema,
    force: z.boolean().optional().describe('start an apply although a domain of the spec was rolled out to another tenant (refused otherwise, 409)'),
  })
  .strict();
export const approveBody = z.object({ ring: ringNameSchema.optional(), comment: noteSchema.optional() }).strict().optional();
export const emptyBody = z.object({}).strict().optional();
export const cancelBody = z.object({ reason: noteSchema.optional() }).strict().optional();

export const rotateKeysBody = z
  .object({
    spec: rolloutSpecSchema,
    mode: modeSchema.default('plan').describe('plan (the default) reports what would rotate; apply rotates'),
    domains: z.array(dnsNameSchema).min(1).optional(),
    force: z.boolean().default(false).describe('rotate even when a key was updated less than 24 hours ago or was reset outside the module'),
    double: z.boolean().default(false).describe('rotate twice (retiring the old key too), waiting for replication and options.keyRotation.maxTicketLifetime (at least 24 h unless force) between'),
  })
  .strict()
  .superRefine(addUndeclaredDomainIssues)
  .superRefine(addRunbookSizeIssues);

export const rollbackBody = z
  .object({
    spec: rolloutSpecSchema,
    mode: modeSchema.default('plan').describe('plan (the default) reports what would change; apply rolls back'),
    policy: z.enum(['unlink', 'disable']).describe('GPO channel: unlink the GPO from its targets, or set Enabled = 0 in it; Intune: the assignment is removed either way'),
    domains: z.array(dnsNameSchema).min(1).optional(),
    removeKerberosObject: z.boolean().default(false).describe('also remove the Azure AD Kerberos server object (admin scope; needs confirmRemoval)'),
    confirmRemoval: z.boolean().default(false),
  })
  .strict()
  .superRefine(addUndeclaredDomainIssues)
  .superRefine(addRunbookSizeIssues)
  .refine((request) => !request.removeKerberosObject || request.confirmRemoval, {
    message: 'removeKerberosObject needs confirmRemoval: removing the object ends cloud Kerberos trust for the domain',
    path: ['confirmRemoval'],
  });

export const migrateIntuneBody = z
  .object({
    spec: rolloutSpecSchema,
    mode: modeSchema.default('plan').describe('plan (the default) reports what would change; apply migrates'),
    domains: z.array(dnsNameSchema).min(1).optional(),
  })
  .strict()
  .superRefine(addUndeclaredDomainIssues)
  .superRefine(addRunbookSizeIssues);

const base64 = z.string().regex(/^[A-Za-z0-9+/\-_]*={0,2}$/, 'must be base64');
/** A Temporal Payload in the JSON form of the codec server protocol: metadata values and data as base64. */
export const payloadSchema = z.object({ metadata: z.record(z.string().min(1).max(256).regex(NOT_RESERVED_KEY_PATTERN, 'must be a metadata key other than __proto__, constructor or prototype'), base64).optional(), data: base64.optional() }).strict();
export const payloadsBody = z.object({ payloads: z.array(payloadSchema).max(10_000) }).strict();

// Responses (documented; the tests check real responses against them).

export const errorSchema = z.object({
  error: z.object({
    code: z.string().describe('invalid-input, unauthenticated, forbidden, not-found, method-not-allowed, conflict, rejected, replayed, payload-too-large, unsupported-media-type, unavailable or internal'),
    message: z.string(),
    hint: z.string().optional(),
    problems: z.array(z.string()).optional().describe('every problem by path, e.g. spec.domains[0].name: …'),
  }),
});

export const startedRunSchema = z.object({
  id: z.string(),
  started: z.boolean().describe('false when an identical run was already going and this request joined it'),
  mode: modeSchema,
  warnings: z.array(z.string()).optional().describe('domains of the spec already rolled out to another tenant (a plan, or an apply with force)'),
});

export const runSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(RUN_KINDS),
  spec: z.string(),
  tenant: z.string(),
  state: z.string(),
  status: z.string(),
  startedAt: z.string(),
  closedAt: z.string().optional(),
});
export const runListSchema = z.object({ runs: z.array(runSummarySchema) });

export const reportSchema = z.looseObject({}).describe('a rollout, plan, runbook or drift report (see model/report-types.ts)');
export const runReportSchema = z.object({
  run: runSummarySchema,
  kind: z.enum(RUN_KINDS),
  report: reportSchema.nullable().describe('null while a drift check runs, and for a run that ended without a result (failed, terminated, cancelled)'),
  noReport: z.string().optional().describe('why report is null'),
});

export const controlResultSchema = z.object({ id: z.string(), action: z.enum(['approve', 'pause', 'resume', 'cancel']), result: z.string().describe("the rollout's own answer") });

export const scheduleViewSchema = z.object({
  name: z.string(),
  kind: z.enum(['rotate-keys', 'drift-check']),
  spec: z.string(),
  every: z.string().optional(),
  cron: z.string().optional(),
  paused: z.boolean(),
  overlap: z.literal('skip'),
  nextRunAt: z.string().optional(),
  recentRuns: z.array(z.object({ workflowId: z.string(), scheduledAt: z.string() })),
});
export const scheduleListSchema = z.object({ schedules: z.array(scheduleViewSchema) });

export const hookAcceptedSchema = z.object({
  hook: z.string(),
  action: z.enum(HOOK_ACTIONS),
  id: z.string(),
  started: z.boolean().optional().describe('false when the run was already going (absent for drift checks, which always join)'),
  reference: z.string().optional(),
});

export const healthSchema = z.object({ status: z.literal('ok') });
