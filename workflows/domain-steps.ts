import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/workflow';
import type { StepRecord } from '../model/report-types';
import type { StepName } from '../model/step-names';

/** The shape every step activity returns (see activities/bridge/run-step.ts). */
export interface StepOutcomeLike {
  changed: boolean;
  warnings: string[];
  result: unknown;
}

export class DomainStopped extends Error {}

/** Where a recorder writes: a domain's report, or the management host's steps of a rollout. */
export interface StepLog {
  steps: StepRecord[];
  /** The step running now, or the last one. */
  step?: string;
}

/** Records each step of one domain (or of the management host) for its report, and turns an activity failure into a failed step. */
export class StepRecorder {
  constructor(
    private readonly report: StepLog,
    private readonly planOnly: boolean,
    private readonly stopRequested: () => string | undefined,
  ) {}

  async run<T extends StepOutcomeLike>(step: StepName, call: () => Promise<T>): Promise<T> {
    const reason = this.stopRequested();
    if (reason) throw new DomainStopped(reason);
    this.report.step = step;
    const startedAt = new Date().toISOString();
    try {
      const outcome = await call();
      this.report.steps.push({
        step,
        status: 'ok',
        changed: outcome.changed,
        planOnly: this.planOnly,
        changes: changesOf(outcome.result),
        warnings: outcome.warnings,
        startedAt,
        finishedAt: new Date().toISOString(),
      });
      return outcome;
    } catch (error) {
      this.report.steps.push({ ...this.failedRecord(step, startedAt, error) });
      throw error;
    }
  }

  /** The record of the step that ran last, for a check the workflow makes on its result. */
  lastRecord(): StepRecord | undefined {
    return this.report.steps[this.report.steps.length - 1];
  }

  /** A step the workflow decides itself (no activity): skipped, or a check that failed. */
  note(step: StepName, fields: Partial<StepRecord> & Pick<StepRecord, 'status'>): void {
    const now = new Date().toISOString();
    this.report.steps.push({ step, changed: false, planOnly: this.planOnly, changes: [], warnings: [], startedAt: now, finishedAt: now, ...fields });
  }

  /** A step that failed outside an activity (e.g. a domain's child workflow that ended without a report). */
  fail(step: StepName, error: unknown, startedAt = new Date().toISOString()): void {
    this.report.steps.push(this.failedRecord(step, startedAt, error));
  }

  private failedRecord(step: string, startedAt: string, error: unknown): StepRecord {
    return {
      step,
      status: 'failed',
      changed: false,
      planOnly: this.planOnly,
      changes: [],
      warnings: [],
      error: describeFailure(error),
      startedAt,
      finishedAt: new Date().toISOString(),
    };
  }
}

function changesOf(result: unknown): string[] {
  const changes = (result as { changes?: unknown } | null)?.changes;
  return Array.isArray(changes) ? changes.filter((c): c is string => typeof c === 'string') : [];
}

/** The real error text and its typed kind, from an activity failure or an application failure. */
export function describeFailure(error: unknown): { type: string; message: string } {
  let cause: unknown = error;
  if (error instanceof ActivityFailure && error.cause) cause = error.cause;
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'ApplicationFailure', message: cause.message };
  if (cause instanceof CancelledFailure) return { type: 'Cancelled', message: cause.message };
  if (cause instanceof Error) return { type: cause.name, message: cause.message };
  return { type: 'Error', message: String(cause) };
}
