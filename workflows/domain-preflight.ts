import { assessDomain } from '../model/preflight';
import type { DomainReport } from '../model/report-types';
import { stepActivities } from './activity-options';
import { describeFailure } from './domain-steps';

/** What a domain's preflight leaves for its rollout: whether it may go on, and the DCs its key must reach. */
export interface Preflighted {
  ready: boolean;
  writableServers: string[];
}

/**
 * Reads one domain's inventory and judges it (model/preflight.ts): findings and site capacity go into its report.
 * `capacity` says whether DC readiness counts capable DCs per site (false only for executions from before that).
 */
export async function preflightEntry(entry: DomainReport, minimumCapableWritablePerSite: number | undefined, capacity: () => boolean): Promise<Preflighted> {
  const acts = stepActivities(entry.taskQueue);
  try {
    const inventory = await acts.domainReadInventory({ domain: entry.domain });
    const assessment = assessDomain(inventory.result, { capacity: capacity(), minimumCapableWritablePerSite });
    entry.findings.push(...assessment.findings);
    if (assessment.sites) entry.sites = assessment.sites;
    const writableServers = inventory.result.controllers.filter((dc) => !dc.isReadOnly && dc.reachable).map((dc) => dc.hostName);
    return { ready: assessment.ready, writableServers };
  } catch (error) {
    const failure = describeFailure(error);
    entry.findings.push({ severity: 'blocker', code: 'preflight-failed', message: `${failure.type}: ${failure.message}` });
    return { ready: false, writableServers: [] };
  }
}

/** A domain with a blocker finding (its own preflight, its policy picture, the tenant) does not roll out. */
export function markNotReady(entry: DomainReport, preflighted: Preflighted): Preflighted {
  if (!entry.findings.some((f) => f.severity === 'blocker')) return preflighted;
  entry.status = 'not-ready';
  return { ...preflighted, ready: false };
}
