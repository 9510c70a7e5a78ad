import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { RolloutRecord, RolloutReport, RolloutState } from '../model/report-types';
import { taskQueueFor } from '../model/routing';
import { stateKey } from '../model/search-attributes';
import type { RolloutSpec } from '../model/spec';
import { StepRecorder } from './domain-steps';
import { domainSpec } from './rollout-spec';

export interface RolloutInput {
  spec: RolloutSpec;
  mode: 'plan' | 'apply';
  specDigest: string;
}

/** How the domains of a rollout are held: by the rollout itself (executions from before batches), or by batch children. */
export type RolloutLayout = 'in-parent' | 'batched';

/** The domains' side of a rollout: preflight, a ring's user readiness, a ring's run, and what a cancel or the end tells them. */
export interface DomainWork {
  preflight(): Promise<void>;
  /** Whether a blocker was found among the ring's users. */
  ringReadiness(ring: RolloutSpec['rings'][number]): Promise<boolean>;
  runRing(ring: RolloutSpec['rings'][number]): Promise<void>;
  paused(value: boolean): Promise<void>;
  stop(reason: string): Promise<void>;
  /** Before the rollout returns: every batch has ended (those never run end without running). */
  close(): Promise<void>;
}

/**
 * The state of one rollout: its report, the operators' requests (approvals, pause, cancel) and the state search
 * attribute. The update handlers and the phases act on it.
 */
export class RolloutRun {
  readonly spec: RolloutSpec;
  readonly planOnly: boolean;
  readonly defaultQueue = workflowInfo().taskQueue;
  readonly report: RolloutReport | RolloutRecord;
  readonly host: StepRecorder;
  paused = false;
  cancelled: string | undefined;
  readonly approvals = new Map<string, string>();
  work!: DomainWork;

  constructor(readonly input: RolloutInput, readonly layout: RolloutLayout) {
    this.spec = input.spec;
    this.planOnly = input.mode === 'plan';
    const base = {
      name: this.spec.name,
      tenant: this.spec.tenant.id,
      mode: input.mode,
      specDigest: input.specDigest,
      state: 'preflight' as RolloutState,
      startedAt: new Date().toISOString(),
      host: [],
      conflicts: [],
      rings: this.spec.rings.map((ring) => ({ name: ring.name, status: 'pending' as const, failures: 0, failureBudget: ring.failureBudget })),
    };
    this.report = layout === 'batched' ? { ...base, layout, workflowId: workflowInfo().workflowId, batches: [], domains: [] } : { ...base, domains: this.spec.rings.flatMap((ring) => ring.domains.map((name) => this.pendingDomain(ring.name, name))) };
    this.host = new StepRecorder({ steps: this.report.host }, this.planOnly, () => undefined);
  }

  taskQueueOf(domain: string): string {
    return taskQueueFor(this.spec, domain, this.defaultQueue);
  }

  ring(name: string) {
    return this.report.rings.find((r) => r.name === name)!;
  }

  setState(state: RolloutState): void {
    this.report.state = state;
    upsertSearchAttributes([{ key: stateKey, value: state }]);
  }

  finished(): boolean {
    return finished(this.report.state);
  }

  // ------------------------------------------------------------ what operators ask

  approve(ring: string, approver: string, comment?: string): string {
    this.approvals.set(ring, approver);
    return `ring ${ring} approved by ${approver}${comment ? `: ${comment}` : ''}`;
  }

  validateApproval(ring: string): void {
    const entry = this.report.rings.find((r) => r.name === ring);
    if (!entry) throw new Error(`no ring named ${ring} in this rollout`);
    if (entry.status !== 'waiting-approval') throw new Error(`ring ${ring} is not waiting for approval (it is ${entry.status})`);
  }

  async pause(by: string): Promise<string> {
    this.paused = true;
    this.setState('paused');
    await this.work.paused(true);
    return `paused by ${by}: no new domain starts until resumed`;
  }

  async resume(by: string): Promise<string> {
    this.paused = false;
    this.setState('running');
    await this.work.paused(false);
    return `resumed by ${by}`;
  }

  async cancel(by: string, reason?: string): Promise<string> {
    this.cancelled = `cancelled by ${by}${reason ? `: ${reason}` : ''}`;
    await this.work.stop(this.cancelled);
    return `${this.cancelled}; running domains stop at their next step boundary`;
  }

  // ------------------------------------------------------------ how it ends

  halt(reason: string): void {
    this.report.haltReason = reason;
    this.report.finishedAt = new Date().toISOString();
    for (const ring of this.report.rings) if (ring.status === 'pending') ring.status = 'skipped';
    this.setState('halted');
  }

  complete(): void {
    this.report.finishedAt = new Date().toISOString();
    this.setState(this.cancelled ? 'cancelled' : 'completed');
    if (this.cancelled) this.report.haltReason = this.cancelled;
  }

  private pendingDomain(ring: string, name: string) {
    const domain = domainSpec(this.spec, name);
    return { domain: domain.name, ring, channel: domain.channel, taskQueue: this.taskQueueOf(domain.name), status: 'pending' as const, findings: [], steps: [] };
  }
}

export function finished(state: RolloutState): boolean {
  return state === 'completed' || state === 'halted' || state === 'cancelled';
}
