import { condition, getExternalWorkflowHandle, ParentClosePolicy, setHandler, startChild, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import { summarize } from '../model/domain-summary';
import type { IntuneScanFacts, ScanOutcome } from '../model/policy-conflicts';
import type { Finding } from '../model/preflight';
import type { DomainReport } from '../model/report-types';
import type { CloudSignIn, DomainSpec, RingSpec, RolloutSpec } from '../model/spec';
import type { DomainReadiness } from '../model/user-readiness';
import { batchCommandSignal, batchPauseSignal, batchPreflightedSignal, batchProgressQuery, batchReadinessSignal, batchStopSignal, type BatchCommand, type BatchResult } from './batch-messages';
import { boundedAll } from './bounded';
import { domainRollout } from './domain';
import { markNotReady, preflightEntry, type Preflighted } from './domain-preflight';
import { StepRecorder } from './domain-steps';
import { stopDomainSignal } from './messages';
import { addTenantBlockers, readDomainPolicySources } from './policy-sources';
import { checkRingReadiness } from './user-readiness';

export interface DomainBatchInput {
  /** The rollout's workflow id: the domain children are `<rolloutId>/domain/<name>`. */
  rolloutId: string;
  rollout: string;
  mode: 'plan' | 'apply';
  ring: RingSpec;
  /** The batch's place among the rollout's batches. */
  index: number;
  domains: DomainSpec[];
  /** Per domain, in the same order: the task queue of the workers that reach its DCs. */
  taskQueues: string[];
  tenant: RolloutSpec['tenant'];
  cloudSignIn: CloudSignIn;
  options: RolloutSpec['options'];
  /** The tenant's Intune sources and tenant-wide findings, read once by the rollout. */
  intune: ScanOutcome<IntuneScanFacts>;
  tenantFindings: Finding[];
  preflightConcurrency: number;
  /** Characters of plan text each domain's summary may keep (model/domain-summary.ts). */
  planText: number;
}

/**
 * A batch of one ring's domains, for a rollout too large to hold every domain itself. It preflights its domains
 * (inventory, DC readiness, policy picture) and tells the rollout; then, on the rollout's word, checks the ring's
 * users and runs a child workflow per domain under the ring's concurrency, or ends without running them. Each
 * domain child holds its whole report; the batch returns summaries, and the reports of domains no child holds.
 */
export async function domainBatch(input: DomainBatchInput): Promise<BatchResult> {
  const batch = workflowInfo().workflowId;
  const planOnly = input.mode === 'plan';
  const rollout = getExternalWorkflowHandle(input.rolloutId);
  const entries: DomainReport[] = input.domains.map((domain, i) => ({ domain: domain.name, ring: input.ring.name, channel: domain.channel, taskQueue: input.taskQueues[i], status: 'pending', findings: [], steps: [] }));
  const preflighted = new Map<string, Preflighted>();
  /** Domain → its child's workflow id, once started; `running` holds those not finished yet. */
  const children = new Map<string, string>();
  const running = new Set<string>();
  const summaries = new Map<string, BatchResult['domains'][number]>();
  const commands: BatchCommand[] = [];
  let readiness: DomainReadiness[] | undefined;
  let failures = 0;
  let paused = false;
  let stopped: string | undefined;

  const result = (): BatchResult => ({
    batch,
    domains: entries.map((entry) => summaries.get(entry.domain) ?? summarize(entry, { batch: input.index, child: children.has(entry.domain), planOnly, planText: input.planText })),
    details: entries.filter((entry) => !summaries.has(entry.domain)),
    ...(readiness ? { readiness } : {}),
    failures,
  });
  setHandler(batchProgressQuery, result);
  setHandler(batchCommandSignal, (command) => void commands.push(command));
  setHandler(batchPauseSignal, ({ paused: value }) => void (paused = value));
  setHandler(batchStopSignal, async ({ reason }) => {
    stopped = reason;
    await Promise.all([...running].map((id) => getExternalWorkflowHandle(id).signal(stopDomainSignal, { reason }).catch(() => undefined)));
  });

  await boundedAll(entries, input.preflightConcurrency, async (entry, i) => {
    const found = await preflightEntry(entry, input.options.minimumCapableDcsPerSite, () => true);
    await readDomainPolicySources(input.domains[i], entry, input.intune);
    addTenantBlockers(entry, input.tenantFindings);
    preflighted.set(entry.domain, markNotReady(entry, found));
  });
  await rollout.signal(batchPreflightedSignal, { batch, domains: entries.map((entry) => summarize(entry, { batch: input.index, child: false, planOnly, planText: input.planText })) });

  for (;;) {
    await condition(() => commands.length > 0);
    const command = commands.shift()!;
    if (command.kind === 'skip') break;
    const ready = entries.filter((entry) => entry.status !== 'not-ready');
    if (command.kind === 'readiness') {
      const checked = await checkRingReadiness({ tenant: input.tenant, domains: input.domains }, input.ring, ready);
      readiness = checked.readiness;
      await rollout.signal(batchReadinessSignal, { batch, blocked: checked.blocked });
      continue;
    }
    paused = command.paused;
    await runDomains(ready, command);
    break;
  }
  return result();

  async function runDomains(ready: DomainReport[], command: Extract<BatchCommand, { kind: 'run' }>): Promise<void> {
    const budgetLeft = () => command.failuresBefore + failures <= input.ring.failureBudget;
    await boundedAll(
      ready,
      input.ring.concurrency,
      async (entry) => {
        if (stopped || !budgetLeft()) return;
        const index = entries.indexOf(entry);
        const domain = input.domains[index];
        const workflowId = `${input.rolloutId}/domain/${domain.name}`;
        entry.status = 'running';
        entry.startedAt = new Date().toISOString();
        const child: ChildWorkflowHandle<typeof domainRollout> = await startChild(domainRollout, {
          workflowId,
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
          args: [
            {
              rollout: input.rollout,
              mode: input.mode,
              ring: input.ring.name,
              domain,
              tenant: input.tenant,
              cloudSignIn: domain.cloudSignIn ?? input.cloudSignIn,
              options: input.options,
              taskQueue: entry.taskQueue,
              writableServers: preflighted.get(entry.domain)?.writableServers ?? [],
              ...(command.moduleReady === undefined ? {} : { moduleReady: command.moduleReady }),
              preflight: { findings: entry.findings, ...(entry.sites ? { sites: entry.sites } : {}), ...(entry.policySources ? { policySources: entry.policySources } : {}) },
            },
          ],
        });
        children.set(entry.domain, workflowId);
        running.add(workflowId);
        try {
          const report = await child.result();
          summaries.set(entry.domain, summarize(report, { batch: input.index, child: true, planOnly, planText: input.planText }));
          if (report.status === 'failed') failures += 1;
        } catch (error) {
          entry.status = 'failed';
          new StepRecorder(entry, planOnly, () => undefined).fail('domain.workflow', error, entry.startedAt);
          entry.finishedAt = new Date().toISOString();
          failures += 1;
        }
        running.delete(workflowId);
      },
      () => !paused || stopped !== undefined || !budgetLeft(),
    );
  }
}
