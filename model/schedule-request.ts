import { z } from 'zod';
import { dnsNameSchema, ID_NAME_PATTERN } from './names';
import { addRunbookSizeIssues, addUndeclaredDomainIssues, rolloutSpecSchema } from './spec';

/** What a schedule runs: the key rotation runbook, or a drift check (the spec in plan mode). */
export const SCHEDULE_KINDS = ['rotate-keys', 'drift-check'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export const scheduleNameSchema = z.string().regex(ID_NAME_PATTERN, 'must be lower-case letters, digits and dashes');

const MINUTE = 60_000;
const UNIT_MS = { m: MINUTE, h: 60 * MINUTE, d: 24 * 60 * MINUTE } as const;

/** An interval such as 90d, 12h or 30m; at least 5 minutes, at most 400 days. */
export const intervalSchema = z
  .string()
  .regex(/^[1-9]\d{0,5}(m|h|d)$/, 'must be an interval such as 90d, 24h or 30m')
  .refine((v) => intervalMs(v) >= 5 * MINUTE, 'must be at least 5m')
  .refine((v) => intervalMs(v) <= 400 * UNIT_MS.d, 'must be at most 400d');

export function intervalMs(interval: string): number {
  return Number(interval.slice(0, -1)) * UNIT_MS[interval.slice(-1) as keyof typeof UNIT_MS];
}

/** Five cron fields (minute hour day-of-month month day-of-week) of digits, * , - and / only. */
export const cronSchema = z
  .string()
  .max(100)
  .regex(/^[0-9*,/-]+( [0-9*,/-]+){4}$/, 'must be five cron fields such as "0 3 * * 1" (digits, * , - / only)');

export const scheduleRequestSchema = z
  .object({
    name: scheduleNameSchema,
    kind: z.enum(SCHEDULE_KINDS),
    spec: rolloutSpecSchema,
    every: intervalSchema.optional(),
    cron: cronSchema.optional(),
    /** Key rotation only: a subset of the spec's domains. */
    domains: z.array(dnsNameSchema).min(1).optional(),
    /** Key rotation only: rotate even when a key was updated less than 24 hours ago. */
    force: z.boolean().default(false),
    paused: z.boolean().default(false),
  })
  .strict()
  .superRefine((request, ctx) => {
    if ((request.every === undefined) === (request.cron === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of every (e.g. 90d) or cron (e.g. "0 3 * * 1")', path: ['every'] });
    }
    if (request.kind === 'drift-check' && request.domains !== undefined) ctx.addIssue({ code: 'custom', message: 'domains applies to rotate-keys only', path: ['domains'] });
    if (request.kind === 'drift-check' && request.force) ctx.addIssue({ code: 'custom', message: 'force applies to rotate-keys only', path: ['force'] });
    addUndeclaredDomainIssues(request, ctx);
    if (request.kind === 'rotate-keys') addRunbookSizeIssues(request, ctx);
  });

export type ScheduleRequest = z.output<typeof scheduleRequestSchema>;
export type ScheduleRequestInput = z.input<typeof scheduleRequestSchema>;
