import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';

/** Temporal warns about a history above this many events (and fails it far above). */
export const HISTORY_WARNING_EVENTS = 10_240;
const VISIBILITY_WAIT_MS = 120_000;
const VISIBILITY_POLL_MS = 1_000;
const FETCH_CONCURRENCY = 4;

export interface HistoryFigure {
  workflowId: string;
  events: number;
  bytes: number;
  activities: number;
  topEventTypes: Array<[string, number]>;
  /** Encoded size per event type, largest first (KiB). */
  topEventTypesByKiB: Array<[string, number]>;
}

export interface HistoryScan {
  figures: HistoryFigure[];
  activityQueueMs: number[];
  activityRunMs: number[];
  workflowTaskQueueMs: number[];
  /** Executions visibility still listed as running when the wait ran out. */
  stillRunning: number;
}

/** The histories that matter at scale: the largest, the parent rollout's, the largest batch and domain child. */
export interface HistorySummary {
  executions: number;
  activities: number;
  largest?: HistoryFigure;
  rollout?: HistoryFigure;
  largestBatch?: HistoryFigure;
  largestDomain?: HistoryFigure;
  overThreshold: number;
  stillRunning: number;
}

const EventType = temporal.api.enums.v1.EventType;

/** Every execution in the namespace, each history fetched and measured; largest first. */
export async function scanHistories(client: Client, note: (line: string) => void): Promise<HistoryScan> {
  const { executions, stillRunning } = await listClosedExecutions(client);
  if (stillRunning > 0) note(`visibility still lists ${stillRunning} running execution(s) after ${VISIBILITY_WAIT_MS / 1000} s; their histories are partial`);
  const scan: HistoryScan = { figures: [], activityQueueMs: [], activityRunMs: [], workflowTaskQueueMs: [], stillRunning };
  let next = 0;
  const fetchNext = async (): Promise<void> => {
    for (let i = next++; i < executions.length; i = next++) scan.figures.push(await measure(client, executions[i], scan));
  };
  await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, fetchNext));
  scan.figures.sort((a, b) => b.events - a.events);
  return scan;
}

async function measure(client: Client, execution: WorkflowExecutionInfo, scan: HistoryScan): Promise<HistoryFigure> {
  const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
  const events = history.events ?? [];
  const byType = new Map<string, number>();
  const bytesByType = new Map<string, number>();
  const timeOf = new Map<number, number>();
  let encodedBytes = 0;
  for (const event of events) {
    const type = EventType[event.eventType ?? 0] ?? String(event.eventType);
    const bytes = temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
    encodedBytes += bytes;
    byType.set(type, (byType.get(type) ?? 0) + 1);
    bytesByType.set(type, (bytesByType.get(type) ?? 0) + bytes);
    const at = tsToMs(event.eventTime);
    timeOf.set(Number(event.eventId), at);
    const started = event.activityTaskStartedEventAttributes;
    if (started) scan.activityQueueMs.push(at - timeOf.get(Number(started.scheduledEventId))!);
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) scan.activityRunMs.push(at - timeOf.get(Number(completed.startedEventId))!);
    const taskStarted = event.workflowTaskStartedEventAttributes;
    if (taskStarted) scan.workflowTaskQueueMs.push(at - timeOf.get(Number(taskStarted.scheduledEventId))!);
  }
  const top = (by: Map<string, number>) => [...by].sort((a, b) => b[1] - a[1]).slice(0, 6);
  return {
    workflowId: execution.workflowId,
    events: events.length,
    bytes: execution.historySize || encodedBytes,
    activities: byType.get('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED') ?? 0,
    topEventTypes: top(byType),
    topEventTypesByKiB: top(bytesByType).map(([type, bytes]): [string, number] => [type, Math.round(bytes / 1024)]),
  };
}

/**
 * Visibility is eventually consistent and the number of executions is not known in advance: list until no execution
 * is running and two listings in a row agree on the count, or the wait runs out.
 */
async function listClosedExecutions(client: Client): Promise<{ executions: WorkflowExecutionInfo[]; stillRunning: number }> {
  const deadline = Date.now() + VISIBILITY_WAIT_MS;
  let previousCount = -1;
  for (;;) {
    const executions: WorkflowExecutionInfo[] = [];
    for await (const execution of client.workflow.list()) executions.push(execution);
    const stillRunning = executions.filter((e) => e.status.name === 'RUNNING').length;
    if ((stillRunning === 0 && executions.length === previousCount) || Date.now() > deadline) return { executions, stillRunning };
    previousCount = stillRunning === 0 ? executions.length : -1;
    await new Promise((resolve) => setTimeout(resolve, VISIBILITY_POLL_MS));
  }
}

/** Picks the figures worth printing; batch and domain children are told apart by their workflow ids. */
export function summarizeHistories(figures: HistoryFigure[], rolloutWorkflowId: string, stillRunning: number): HistorySummary {
  const largestWhere = (match: (f: HistoryFigure) => boolean) => figures.find(match);
  return {
    executions: figures.length,
    activities: figures.reduce((sum, f) => sum + f.activities, 0),
    largest: figures[0],
    rollout: largestWhere((f) => f.workflowId === rolloutWorkflowId),
    largestBatch: largestWhere((f) => f.workflowId.includes('/batch/')),
    largestDomain: largestWhere((f) => f.workflowId.includes('/domain/')),
    overThreshold: figures.filter((f) => f.events > HISTORY_WARNING_EVENTS).length,
    stillRunning,
  };
}

export function describeHistory(figure: HistoryFigure | undefined): string {
  return figure ? `${figure.events} events, ${Math.round(figure.bytes / 1024)} KiB — ${figure.workflowId}` : 'none';
}
