import { buildPolicyPicture, type IntuneScanFacts, type ScanOutcome } from '../model/policy-conflicts';
import type { Finding } from '../model/preflight';
import type { RolloutReport } from '../model/report-types';
import type { RolloutSpec } from '../model/spec';
import { stepActivities } from './activity-options';
import { boundedAll } from './bounded';
import { describeFailure } from './domain-steps';

/**
 * Reads every source that can configure WHfB before anything changes — each domain's GPOs (both scopes) and, when
 * the spec names a Graph app, the tenant's Intune policies — and gives each domain its policy picture and the
 * findings that come from it. Returns the tenant-wide findings. Same reads as the conflict scan it replaces.
 */
export async function scanPolicySources(spec: RolloutSpec, report: RolloutReport, defaultQueue: string): Promise<Finding[]> {
  const tenantFindings: Finding[] = [];
  let intune: ScanOutcome<IntuneScanFacts> = { status: 'not-read', note: 'the spec names no Graph app (tenant.graph)' };
  const graph = spec.tenant.graph;
  if (graph) {
    try {
      const acts = stepActivities(spec.routing.default ?? defaultQueue);
      const connection = { tenantId: spec.tenant.id, clientId: graph.clientId, certificateThumbprint: graph.certificateThumbprint, ...(graph.environment ? { environment: graph.environment } : {}) };
      if (spec.domains.some((d) => d.channel === 'intune')) {
        const tenant = await acts.readIntuneTenant(connection);
        if (!tenant.result.intune.usable) {
          tenantFindings.push({ severity: 'blocker', code: 'intune-not-licensed', message: `tenant ${tenant.result.displayName} has no active Intune licence: device configuration profiles cannot be used` });
        }
      }
      const scan = await acts.scanIntunePassport(connection);
      intune = { status: 'read', facts: scan.result };
    } catch (error) {
      const failure = describeFailure(error);
      intune = { status: 'failed', note: failure.message };
      tenantFindings.push({ severity: 'warning', code: 'intune-scan-failed', message: `Intune could not be scanned for conflicts: ${failure.message}` });
    }
  }
  await boundedAll(report.domains, spec.options.preflightConcurrency, async (entry) => {
    const domain = spec.domains.find((d) => d.name.toLowerCase() === entry.domain.toLowerCase());
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
      const scan = await acts.scanGpoPassport({ domain: entry.domain });
      entry.policySources = buildPolicyPicture({ ...input, gpo: { status: 'read', facts: scan.result } });
    } catch (error) {
      const failure = describeFailure(error);
      entry.findings.push({ severity: 'blocker', code: 'gpo-scan-failed', message: `Group Policy could not be scanned for conflicts: ${failure.message}` });
      entry.policySources = buildPolicyPicture({ ...input, gpo: { status: 'failed', note: failure.message } });
    }
    entry.findings.push(...entry.policySources.findings);
  });
  if (tenantFindings.some((f) => f.severity === 'blocker')) {
    for (const entry of report.domains) {
      if (entry.channel === 'intune') entry.findings.push(...tenantFindings.filter((f) => f.severity === 'blocker'));
    }
  }
  return tenantFindings;
}
