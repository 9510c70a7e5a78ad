import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import type { ScheduleKind, ScheduleRequest } from '../model/schedule-request';
import { driftCheck } from '../workflows/drift-check';
import { rotateKeys } from '../workflows/runbook-rotate';
import { TriggerError } from './errors';
import { specDigest } from './rollouts';
import { runSearchAttributes } from '../model/search-attributes';
import { driftCheckWorkflowId, rotateKeysWorkflowId } from './runbooks';

const PREFIX = 'cloudtrust-schedule:';
export const scheduleId = (name: string) => `${PREFIX}${name}`;

export interface ScheduleView {
  name: string;
  kind: ScheduleKind;
  spec: string;
  every?: string;
  cron?: string;
  paused: boolean;
  overlap: 'skip';
  nextRunAt?: string;
  recentRuns: Array<{ workflowId: string; scheduledAt: string }>;
}

/**
 * Creates a Temporal Schedule that rotates the spec's keys or checks it for drift. Overlap is SKIP: a run still going
 * when the next is due makes that next one skip. Catch-up is limited to one hour, so a server that was down for a
 * week does not fire a week of runs.
 */
export async function createSchedule(client: Client, request: ScheduleRequest, taskQueue: string): Promise<ScheduleView> {
  const { spec } = request;
  const common = { taskQueue, typedSearchAttributes: runSearchAttributes(request.kind, spec) };
  const rotate: Parameters<typeof rotateKeys> = [{ spec, mode: 'apply', force: request.force, ...(request.domains ? { domains: request.domains } : {}) }];
  const check: Parameters<typeof driftCheck> = [{ spec, specDigest: specDigest(spec) }];
  const action =
    request.kind === 'rotate-keys'
      ? { type: 'startWorkflow' as const, workflowType: rotateKeys.name, workflowId: rotateKeysWorkflowId(spec), args: rotate, ...common }
      : { type: 'startWorkflow' as const, workflowType: driftCheck.name, workflowId: driftCheckWorkflowId(spec), args: check, ...common };
  try {
    await client.schedule.create({
      scheduleId: scheduleId(request.name),
      spec: request.every ? { intervals: [{ every: intervalFor(request.every) }] } : { cronExpressions: [request.cron!] },
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
      state: { paused: request.paused, note: `${request.kind} of ${spec.name}` },
      memo: { kind: request.kind, spec: spec.name, ...(request.every ? { every: request.every } : { cron: request.cron }) },
    });
  } catch (error) {
    // The SDK checks the calendar itself and throws a TypeError naming the field ("Hour is not in range [0-23]").
    if (error instanceof TypeError && request.cron !== undefined) {
      throw new TriggerError('invalid-input', `cron "${request.cron}" is not a valid schedule: ${error.message}`, 'five fields: minute hour day-of-month month day-of-week', [`cron: ${error.message}`]);
    }
    if (error instanceof ScheduleAlreadyRunning) {
      throw new TriggerError('conflict', `schedule ${request.name} already exists`, `delete it first with \`cloudtrust schedule delete ${request.name}\``);
    }
    throw error;
  }
  return describeSchedule(client, request.name);
}

/** Temporal's interval strings are ms-style: days as "d" are understood. */
const intervalFor = (every: string) => every as `${number}${'m' | 'h' | 'd'}`;

export async function describeSchedule(client: Client, name: string): Promise<ScheduleView> {
  try {
    return view(name, await client.schedule.getHandle(scheduleId(name)).describe());
  } catch (error) {
    throw notFound(error, name);
  }
}

export async function listSchedules(client: Client): Promise<ScheduleView[]> {
  const views: ScheduleView[] = [];
  for await (const schedule of client.schedule.list()) {
    if (!schedule.scheduleId.startsWith(PREFIX)) continue;
    views.push(view(schedule.scheduleId.slice(PREFIX.length), schedule));
  }
  return views.sort((a, b) => a.name.localeCompare(b.name));
}

export async function deleteSchedule(client: Client, name: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId(name)).delete();
  } catch (error) {
    throw notFound(error, name);
  }
}

/** Starts the schedule's action now (overlap policy still applies). */
export async function triggerSchedule(client: Client, name: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId(name)).trigger();
  } catch (error) {
    throw notFound(error, name);
  }
}

function notFound(error: unknown, name: string): unknown {
  if (error instanceof ScheduleNotFoundError) return new TriggerError('not-found', `no schedule ${name}`, 'list them with `cloudtrust schedule list`');
  return error;
}

function memoFields(memo: Record<string, unknown> | undefined): Pick<ScheduleView, 'kind' | 'spec' | 'every' | 'cron'> {
  return {
    kind: memo?.kind as ScheduleKind,
    spec: String(memo?.spec ?? ''),
    ...(typeof memo?.every === 'string' ? { every: memo.every } : {}),
    ...(typeof memo?.cron === 'string' ? { cron: memo.cron } : {}),
  };
}

/** What a schedule's description and its list entry share. */
type ScheduleState = Pick<ScheduleDescription, 'memo'> & { state: { paused: boolean }; info: Pick<ScheduleDescription['info'], 'nextActionTimes' | 'recentActions'> };

function view(name: string, s: ScheduleState): ScheduleView {
  return {
    name,
    ...memoFields(s.memo),
    paused: s.state.paused,
    overlap: 'skip',
    ...(s.info.nextActionTimes[0] ? { nextRunAt: s.info.nextActionTimes[0].toISOString() } : {}),
    recentRuns: s.info.recentActions.map((a) => ({ workflowId: 'workflow' in a.action ? a.action.workflow.workflowId : '', scheduledAt: a.scheduledAt.toISOString() })),
  };
}
