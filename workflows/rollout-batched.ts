import { condition, ParentClosePolicy, setHandler, startChild, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import { planTextPerDomain } from '../model/domain-summary';
import type { BatchRef, DomainSummary, RolloutRecord } from '../model/report-types';
import type { RingSpec } from '../model/spec';
import { batchCommandSignal, batchPauseSignal, batchPreflightedSignal, batchReadinessSignal, batchStopSignal, type BatchCommand, type BatchResult } from './batch-messages';
import { domainBatch } from './domain-batch';
import { describeFailure } from './domain-steps';
import { readTenantPolicy } from './policy-sources';
import type { DomainWork, RolloutRun } from './rollout-run';
import { domainSpec } from './rollout-spec';

/**
 * Domains per batch unless the spec says (options.domainsPerBatch). A batch's history grows by about 20 events per
 * domain (preflight reads, user readiness, its domain child), so 250 keeps it near 5,000 events, half of Temporal's
 * warning threshold. Changing it changes the children a running rollout starts: it needs a patch.
 */
export const DOMAINS_PER_BATCH = 250;

interface Batch {
  ref: BatchRef;
  index: number;
  ring: RingSpec;
  names: string[];
  handle?: ChildWorkflowHandle<typeof domainBatch>;
  result?: BatchResult;
  failure?: string;
  preflighted: boolean;
  blocked?: boolean;
}

/**
 * The domains held by batch children (workflows/domain-batch.ts), so the rollout's history grows with its rings
 * and batches, not with its domains: the rollout keeps one summary per domain, each batch its domains' preflight,
 * and each domain child its whole report.
 */
export class BatchedDomains implements DomainWork {
  private readonly record: RolloutRecord;
  private readonly batches: Batch[] = [];
  /** Domain name → its place in the record's summaries. */
  private readonly place = new Map<string, number>();
  private running: Batch | undefined;
  private moduleReady: boolean | undefined;

  constructor(private readonly run: RolloutRun) {
    this.record = run.report as RolloutRecord;
    const rolloutId = workflowInfo().workflowId;
    for (const ring of run.spec.rings) {
      // Batches of equal size: none much smaller than the others, so each keeps its share of the concurrency busy.
      const most = run.spec.options.domainsPerBatch ?? DOMAINS_PER_BATCH;
      const size = Math.ceil(ring.domains.length / Math.ceil(ring.domains.length / most));
      for (let start = 0, k = 1; start < ring.domains.length; start += size, k += 1) {
        const names = ring.domains.slice(start, start + size).map((name) => domainSpec(run.spec, name).name);
        const ref: BatchRef = { workflowId: `${rolloutId}/batch/${ring.name}/${k}`, ring: ring.name, domains: names.length, status: 'preflight' };
        const index = this.record.batches.push(ref) - 1;
        this.batches.push({ ref, index, ring, names, preflighted: false });
        for (const name of names) this.place.set(name, this.record.domains.push(this.pending(name, index)) - 1);
      }
    }
    setHandler(batchPreflightedSignal, ({ batch, domains }) => {
      const found = this.batch(batch);
      if (!found) return;
      found.preflighted = true;
      found.ref.status = 'preflighted';
      this.merge(domains);
    });
    setHandler(batchReadinessSignal, ({ batch, blocked }) => {
      const found = this.batch(batch);
      if (found) found.blocked = blocked;
    });
  }

  setModuleReady(value: boolean | undefined): void {
    this.moduleReady = value;
  }

  async preflight(): Promise<void> {
    const { spec, input } = this.run;
    const tenant = await readTenantPolicy(spec, this.run.defaultQueue);
    this.record.conflicts.push(...tenant.findings);
    const total = this.batches.reduce((sum, b) => sum + b.names.length, 0);
    for (const batch of this.batches) {
      // The batches preflight at once: each gets its share of preflightConcurrency, by its number of domains.
      const preflightConcurrency = Math.max(1, Math.round((spec.options.preflightConcurrency * batch.names.length) / total));
      const domains = batch.names.map((name) => domainSpec(spec, name));
      batch.handle = await startChild(domainBatch, {
        workflowId: batch.ref.workflowId,
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        args: [
          {
            rolloutId: workflowInfo().workflowId,
            rollout: spec.name,
            mode: input.mode,
            ring: batch.ring,
            index: batch.index,
            domains,
            taskQueues: domains.map((d) => this.run.taskQueueOf(d.name)),
            tenant: spec.tenant,
            cloudSignIn: spec.cloudSignIn,
            options: spec.options,
            intune: tenant.intune,
            tenantFindings: tenant.findings,
            preflightConcurrency,
            planText: planTextPerDomain(spec.domains.length),
          },
        ],
      });
      batch.handle.result().then(
        (result) => this.ended(batch, result),
        (error: unknown) => this.failed(batch, error),
      );
    }
    await condition(() => this.batches.every((b) => b.preflighted || b.failure !== undefined));
  }

  async ringReadiness(ring: RingSpec): Promise<boolean> {
    const batches = this.ofRing(ring);
    for (const batch of batches) await this.command(batch, { kind: 'readiness' });
    await condition(() => batches.every((b) => b.blocked !== undefined || b.failure !== undefined));
    return batches.some((b) => b.blocked === true);
  }

  async runRing(ring: RingSpec): Promise<void> {
    const ringReport = this.run.ring(ring.name);
    for (const batch of this.ofRing(ring)) {
      if (this.run.cancelled || ringReport.failures > ring.failureBudget) return;
      this.running = batch;
      batch.ref.status = 'running';
      await this.command(batch, { kind: 'run', failuresBefore: ringReport.failures, paused: this.run.paused, ...(this.moduleReady === undefined ? {} : { moduleReady: this.moduleReady }) });
      await condition(() => batch.result !== undefined || batch.failure !== undefined);
      this.running = undefined;
      ringReport.failures += batch.result?.failures ?? batch.names.length;
    }
  }

  async paused(value: boolean): Promise<void> {
    await this.running?.handle?.signal(batchPauseSignal, { paused: value });
  }

  async stop(reason: string): Promise<void> {
    await this.running?.handle?.signal(batchStopSignal, { reason });
  }

  async close(): Promise<void> {
    const open = this.batches.filter((b) => b.handle && b.result === undefined && b.failure === undefined);
    for (const batch of open) await this.command(batch, { kind: 'skip' });
    await condition(() => open.every((b) => b.result !== undefined || b.failure !== undefined));
    for (const batch of open) if (batch.ref.status !== 'failed') batch.ref.status = 'skipped';
  }

  private async command(batch: Batch, command: BatchCommand): Promise<void> {
    if (!batch.handle || batch.failure !== undefined) return;
    await batch.handle.signal(batchCommandSignal, command);
  }

  private ended(batch: Batch, result: BatchResult): void {
    batch.result = result;
    batch.ref.status = 'completed';
    this.merge(result.domains);
  }

  /** A batch that failed (a bug, or terminated by hand): its domains that had not finished count as failed. */
  private failed(batch: Batch, error: unknown): void {
    const failure = describeFailure(error);
    batch.failure = `${failure.type}: ${failure.message}`;
    batch.ref.status = 'failed';
    this.record.conflicts.push({ severity: 'blocker', code: 'batch-failed', target: batch.ref.workflowId, message: `batch ${batch.ref.workflowId} of ring ${batch.ring.name} failed: ${batch.failure}` });
    for (const summary of this.record.domains) {
      if (summary.batch === batch.index && (summary.status === 'pending' || summary.status === 'running')) summary.status = 'failed';
    }
  }

  private merge(domains: DomainSummary[]): void {
    for (const summary of domains) {
      const index = this.place.get(summary.domain);
      if (index !== undefined) this.record.domains[index] = summary;
    }
  }

  private batch(workflowId: string): Batch | undefined {
    return this.batches.find((b) => b.ref.workflowId === workflowId);
  }

  private ofRing(ring: RingSpec): Batch[] {
    return this.batches.filter((b) => b.ring.name === ring.name);
  }

  private pending(name: string, batch: number): DomainSummary {
    const domain = domainSpec(this.run.spec, name);
    return { domain: domain.name, channel: domain.channel, taskQueue: this.run.taskQueueOf(domain.name), status: 'pending', counts: { steps: 0, changed: 0, failed: 0, blockers: 0, warnings: 0 }, batch };
  }
}
