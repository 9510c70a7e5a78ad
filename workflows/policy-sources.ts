import { buildPolicyPicture, type IntuneScanFacts, type ScanOutcome } from '../model/policy-conflicts';
import type { Finding } from '../model/preflight';
import type { DomainReport, RolloutReport } from '../model/report-types';
import type { DomainSpec, RolloutSpec } from '../model/spec';
import { stepActivities } from './activity-options';
import { boundedAll } from './bounded';
import { describeFailure } from './domain-steps';

/** What the tenant says, read once per rollout: its Intune policies (when the spec names a Graph app) and the findings that hold for every domain. */
export interface TenantPolicy {
  intune: ScanOutcome<IntuneScanFacts>;
  findings: Finding[];
}

/**
 * Reads every source that can configure WHfB before anything changes — each domain's GPOs (both scopes) and, when
 * the spec names a Graph app, the tenant's Intune policies — and gives each domain its policy picture and the
 * findings that come from it. Returns the tenant-wide findings. Same reads as the conflict scan it replaces.
 */
export async function scanPolicySources(spec: RolloutSpec, report: RolloutReport, defaultQueue: string): Promise<Finding[]> {
  const tenant = await readTenantPolicy(spec, defaultQueue);
  const domainOf = (name: string) => spec.domains.find((d) => d.name.toLowerCase() === name.toLowerCase());
  await boundedAll(report.domains, spec.options.preflightConcurrency, (entry) => readDomainPolicySources(domainOf(entry.domain), entry, tenant.intune));
  for (const entry of report.domains) addTenantBlockers(entry, tenant.findings);
  return tenant.findings;
}

/** The tenant's half of the policy picture: the Intune licence and every Intune source of WHfB settings. */
export async function readTenantPolicy(spec: Pick<RolloutSpec, 'tenant' | 'domains' | 'routing'>, defaultQueue: string): Promise<TenantPolicy> {
  const findings: Finding[] = [];
  let intune: ScanOutcome<IntuneScanFacts> = { status: 'not-read', note: 'the spec names no Graph app (tenant.graph)' };
  const graph = spec.tenant.graph;
  if (graph) {
    try {
      const acts = stepActivities(spec.routing.default ?? defaultQueue);
      const connection = { tenantId: spec.tenant.id, clientId: graph.clientId, certificateThumbprint: graph.certificateThumbprint, ...(graph.environment ? { environment: graph.environment } : {}) };
      if (spec.domains.some((d) => d.channel === 'intune')) {
        const tenant = await acts.intuneReadTenant(connection);
        if (!tenant.result.intune.usable) {
          findings.push({ severity: 'blocker', code: 'intune-not-licensed', message: `tenant ${tenant.result.displayName} has no active Intune licence: device configuration profiles cannot be used` });
        }
      }
      const scan = await acts.intuneScanPassport(connection);
      intune = { status: 'read', facts: scan.result };
    } catch (error) {
      const failure = describeFailure(error);
      intune = { status: 'failed', note: failure.message };
      findings.push({ severity: 'warning', code: 'intune-scan-failed', message: `Intune could not be scanned for conflicts: ${failure.message}` });
    }
  }
  return { intune, findings };
}

/** One domain's policy picture: its GPOs (unless it failed preflight) beside the tenant's Intune sources. */
export async function readDomainPolicySources(domain: DomainSpec | undefined, entry: DomainReport, intune: ScanOutcome<IntuneScanFacts>): Promise<void> {
  const input = {
    domain: entry.domain,
    channel: entry.channel,
    targets: domain?.gpo?.targets ?? [],
    ours: { gpo: domain?.gpo?.name, intune: domain?.intune ? [domain.intune.profile] : [] },
    intune,
  };
  if (entry.status === 'not-ready') {
    entry.policySources = buildPolicyPicture({ ...input, gpo: { status: 'not-read', note: 'the domain failed preflight' } });
    entry.findings.push(...entry.policySources.findings);
    return;
  }
  const acts = stepActivities(entry.taskQueue);
  try {
    const scan = await acts.gpoScanPassport({ domain: entry.domain });
    entry.policySources = buildPolicyPicture({ ...input, gpo: { status: 'read', facts: scan.result } });
  } catch (error) {
    const failure = describeFailure(error);
    entry.findings.push({ severity: 'blocker', code: 'gpo-scan-failed', message: `Group Policy could not be scanned for conflicts: ${failure.message}` });
    entry.policySources = buildPolicyPicture({ ...input, gpo: { status: 'failed', note: failure.message } });
  }
  entry.findings.push(...entry.policySources.findings);
}

/** A tenant-wide blocker (no Intune licence) blocks every Intune domain. */
export function addTenantBlockers(entry: DomainReport, tenantFindings: readonly Finding[]): void {
  if (entry.channel !== 'intune') return;
  entry.findings.push(...tenantFindings.filter((f) => f.severity === 'blocker'));
}
