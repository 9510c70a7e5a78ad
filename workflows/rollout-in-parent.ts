import { ParentClosePolicy, patched, startChild, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { DomainReport, RolloutReport } from '../model/report-types';
import type { RingSpec } from '../model/spec';
import { boundedAll } from './bounded';
import { domainRollout } from './domain';
import { preflightEntry, type Preflighted } from './domain-preflight';
import { StepRecorder } from './domain-steps';
import { stopDomainSignal } from './messages';
import { scanPolicyConflicts } from './policy-conflicts-v1';
import { scanPolicySources } from './policy-sources';
import type { DomainWork, RolloutRun } from './rollout-run';
import { domainSpec } from './rollout-spec';
import { checkRingReadiness } from './user-readiness';

/**
 * The domains as executions from before batches held them: the rollout preflights every domain itself and starts
 * a child per domain. Kept so those executions replay; new rollouts use batches (rollout-batched.ts).
 */
export class DomainsInParent implements DomainWork {
  private readonly report: RolloutReport;
  private readonly preflighted = new Map<string, Preflighted>();
  private readonly children = new Map<string, ChildWorkflowHandle<typeof domainRollout>>();
  private moduleReady: boolean | undefined;

  constructor(private readonly run: RolloutRun) {
    this.report = run.report as RolloutReport;
  }

  /** What the host preflight found out (undefined: not read, as in executions before host-preflight). */
  setModuleReady(value: boolean | undefined): void {
    this.moduleReady = value;
  }

  async preflight(): Promise<void> {
    const { spec } = this.run;
    await boundedAll(this.report.domains, spec.options.preflightConcurrency, async (entry) => {
      this.preflighted.set(entry.domain, await preflightEntry(entry, spec.options.minimumCapableDcsPerSite, () => patched('dc-capacity-readiness')));
    });
    // The policy picture replaced the conflict scan after the v2 histories were recorded: same reads, other findings.
    const conflicts = patched('policy-conflict-picture') ? await scanPolicySources(spec, this.report, this.run.defaultQueue) : await scanPolicyConflicts(spec, this.report, this.run.defaultQueue);
    this.report.conflicts.push(...conflicts);
    for (const entry of this.report.domains) {
      if (entry.findings.some((f) => f.severity === 'blocker')) {
        entry.status = 'not-ready';
        this.preflighted.set(entry.domain, { ...this.preflighted.get(entry.domain)!, ready: false });
      }
    }
  }

  async ringReadiness(ring: RingSpec): Promise<boolean> {
    const { readiness, blocked } = await checkRingReadiness(this.run.spec, ring, this.ready(ring));
    this.run.ring(ring.name).readiness = readiness;
    return blocked;
  }

  async runRing(ring: RingSpec): Promise<void> {
    const { spec, input } = this.run;
    const ringReport = this.run.ring(ring.name);
    const budgetLeft = () => ringReport.failures <= ring.failureBudget;
    await boundedAll(
      this.ready(ring),
      ring.concurrency,
      async (entry) => {
        if (this.run.cancelled || !budgetLeft()) return;
        const domain = domainSpec(spec, entry.domain);
        entry.status = 'running';
        entry.startedAt = new Date().toISOString();
        const child = await startChild(domainRollout, {
          workflowId: `${workflowInfo().workflowId}/domain/${domain.name}`,
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          args: [
            {
              rollout: spec.name,
              mode: input.mode,
              ring: ring.name,
              domain,
              tenant: spec.tenant,
              cloudSignIn: domain.cloudSignIn ?? spec.cloudSignIn,
              options: spec.options,
              taskQueue: entry.taskQueue,
              writableServers: this.preflighted.get(entry.domain)?.writableServers ?? [],
              ...(this.moduleReady === undefined ? {} : { moduleReady: this.moduleReady }),
            },
          ],
        });
        this.children.set(entry.domain, child);
        try {
          const result = await child.result();
          Object.assign(entry, { ...result, findings: [...entry.findings, ...(result.findings ?? [])], ring: ring.name });
        } catch (error) {
          entry.status = 'failed';
          new StepRecorder(entry, this.run.planOnly, () => undefined).fail('domain.workflow', error, entry.startedAt);
        }
        this.children.delete(entry.domain);
        if (entry.status === 'failed') ringReport.failures += 1;
      },
      () => !this.run.paused || this.run.cancelled !== undefined || !budgetLeft(),
    );
  }

  async paused(): Promise<void> {}

  async stop(reason: string): Promise<void> {
    await Promise.all([...this.children.values()].map((child) => child.signal(stopDomainSignal, { reason }).catch(() => undefined)));
  }

  async close(): Promise<void> {}

  private ready(ring: RingSpec): DomainReport[] {
    const byName = (name: string) => this.report.domains.find((d) => d.domain.toLowerCase() === name.toLowerCase())!;
    return ring.domains.map(byName).filter((entry) => entry.status !== 'not-ready');
  }
}
