import type { Client } from '@temporalio/client';
import { isRolloutRecord, type DomainReport, type DomainSummary, type RolloutRecord, type RolloutReport } from '../model/report-types';
import { withCurrentStepNames } from '../model/step-names';
import type { DomainReadiness } from '../model/user-readiness';
import { batchProgressQuery, type BatchResult } from '../workflows/batch-messages';
import { domainProgressQuery } from '../workflows/messages';

/** Reads of a batched rollout's children at once (a rollout of 1,000 domains has 1,000 of them). */
const READS_AT_ONCE = 16;

/**
 * The whole report of a rollout. A batched rollout keeps only a summary per domain: the report of each domain is
 * read from its domain child (its result, or its live progress while it runs), and from its batch when no child
 * ran (not ready, never started). Reports of rollouts from before batches are whole already. Record ids read as today's
 * (model/step-names.ts).
 */
export async function wholeReport(client: Client, report: RolloutReport | RolloutRecord): Promise<RolloutReport> {
  if (!isRolloutRecord(report)) return withCurrentStepNames(report);
  const batches = await mapLimit(report.batches, READS_AT_ONCE, (batch) => readBatch(client, batch.workflowId, batch.status === 'completed'));
  const live = new Map<string, DomainSummary>();
  const details = new Map<string, DomainReport>();
  const readiness = new Map<string, DomainReadiness[]>();
  batches.forEach((batch, i) => {
    if (!batch) return;
    for (const summary of batch.domains) live.set(summary.domain, summary);
    for (const detail of batch.details) details.set(detail.domain, detail);
    if (batch.readiness) readiness.set(report.batches[i].ring, [...(readiness.get(report.batches[i].ring) ?? []), ...batch.readiness]);
  });
  const domains = await mapLimit(report.domains, READS_AT_ONCE, async (own) => {
    // A running batch knows more than the rollout's record (which it updates once the batch ends).
    const summary = own.status === 'pending' || own.status === 'running' ? (live.get(own.domain) ?? own) : own;
    const ring = report.batches[summary.batch]?.ring ?? '';
    return (await readDomain(client, report.workflowId, summary, ring)) ?? details.get(summary.domain) ?? placeholder(summary, ring);
  });
  const { layout: _layout, batches: _batches, workflowId: _workflowId, ...rest } = report;
  return withCurrentStepNames({ ...rest, rings: report.rings.map((ring) => (readiness.has(ring.name) ? { ...ring, readiness: readiness.get(ring.name) } : ring)), domains });
}

async function readBatch(client: Client, workflowId: string, closed: boolean): Promise<BatchResult | undefined> {
  const handle = client.workflow.getHandle(workflowId);
  return (closed ? handle.result() : handle.query(batchProgressQuery)).catch(() => undefined) as Promise<BatchResult | undefined>;
}

async function readDomain(client: Client, rolloutId: string, summary: DomainSummary, ring: string): Promise<DomainReport | undefined> {
  if (!summary.child) return undefined;
  const handle = client.workflow.getHandle(`${rolloutId}/domain/${summary.domain}`);
  const running = summary.status === 'running' || summary.status === 'waiting-operator';
  const report = (await (running ? handle.query(domainProgressQuery) : handle.result()).catch(() => undefined)) as DomainReport | undefined;
  return report && { ...report, ring };
}

/** A domain whose report cannot be read (its batch has not preflighted it yet): what the summary says. */
function placeholder(summary: DomainSummary, ring: string): DomainReport {
  const { domain, channel, taskQueue, status, startedAt, finishedAt } = summary;
  return { domain, ring, channel, taskQueue, status, findings: [], steps: [], ...(startedAt ? { startedAt } : {}), ...(finishedAt ? { finishedAt } : {}) };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
