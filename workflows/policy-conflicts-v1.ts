import type { Finding } from '../model/preflight';
import type { RolloutReport } from '../model/report-types';
import type { RolloutSpec } from '../model/spec';
import { stepActivities } from './activity-options';
import { boundedAll } from './bounded';
import { graphConnection } from './channels/intune-common';
import { describeFailure } from './domain-steps';

/**
 * Conflicts the guide says to look for before anything changes: UseCertificateForOnPremAuth in any GPO or Intune
 * profile (certificate trust wins), cloud trust set in user scope, and WHfB settings in both channels for the same
 * devices (GPO wins; the Intune setting is ignored). Adds findings to the domains and returns tenant-wide ones.
 * Replaced by scanPolicySources (policy-sources.ts); kept for rollouts recorded before patch policy-conflict-picture.
 */
export async function scanPolicyConflicts(spec: RolloutSpec, report: RolloutReport, defaultQueue: string): Promise<Finding[]> {
  const tenantFindings: Finding[] = [];
  let intuneWhfbEverywhere = false;
  let intuneGroups: string[] = [];
  if (spec.tenant.graph) {
    try {
      const acts = stepActivities(spec.routing.default ?? defaultQueue);
      const graph = graphConnection(spec.tenant, spec.tenant.graph);
      if (spec.domains.some((d) => d.channel === 'intune')) {
        const tenant = await acts.intuneReadTenant(graph);
        if (!tenant.result.intune.usable) {
          tenantFindings.push({ severity: 'blocker', code: 'intune-not-licensed', message: `tenant ${tenant.result.displayName} has no active Intune licence: device configuration profiles cannot be used` });
        }
      }
      const scan = await acts.intuneScanPassport(graph);
      intuneWhfbEverywhere = scan.result.assignedToAll;
      intuneGroups = scan.result.assignedGroupIds;
      for (const conflict of scan.result.conflicts) {
        const code = conflict.kind === 'whfbBlocked' ? 'intune-whfb-blocked' : 'intune-certificate-trust';
        tenantFindings.push({ severity: 'blocker', code, target: conflict.displayName, message: `Intune profile ${conflict.displayName} (${conflict.omaUri}): ${conflict.reason}` });
      }
    } catch (error) {
      const failure = describeFailure(error);
      tenantFindings.push({ severity: 'warning', code: 'intune-scan-failed', message: `Intune could not be scanned for conflicts: ${failure.message}` });
    }
  }
  await boundedAll(report.domains, spec.options.preflightConcurrency, async (entry) => {
    if (entry.status === 'not-ready') return;
    const acts = stepActivities(entry.taskQueue);
    try {
      const scan = await acts.gpoScanPassport({ domain: entry.domain });
      for (const gpo of scan.result.certificateTrustGpos) {
        entry.findings.push({ severity: 'blocker', code: 'gpo-certificate-trust', target: gpo.displayName, message: `GPO ${gpo.displayName} sets UseCertificateForOnPremAuth: certificate trust takes precedence over cloud trust` });
      }
      for (const gpo of scan.result.userScopeCloudTrustGpos) {
        entry.findings.push({ severity: 'warning', code: 'gpo-user-scope-cloud-trust', target: gpo.displayName, message: `GPO ${gpo.displayName} sets cloud trust in user scope, where no such policy exists` });
      }
      const ourGpo = spec.domains.find((d) => d.name === entry.domain)?.gpo?.name.toLowerCase();
      const otherWhfb = scan.result.whfbGpos.filter((g) => g.displayName.toLowerCase() !== ourGpo);
      if (entry.channel === 'intune' && otherWhfb.length > 0) {
        entry.findings.push({ severity: 'blocker', code: 'both-channels', message: `GPOs ${otherWhfb.map((g) => g.displayName).join(', ')} carry WHfB settings: with Group Policy present the Intune settings are ignored` });
      }
      if (entry.channel === 'gpo' && (intuneWhfbEverywhere || intuneGroups.length > 0)) {
        entry.findings.push({ severity: 'warning', code: 'both-channels', message: `Intune also assigns WHfB settings (${intuneWhfbEverywhere ? 'to all devices' : `to ${intuneGroups.length} groups`}); on devices that get both, Group Policy wins` });
      }
    } catch (error) {
      const failure = describeFailure(error);
      entry.findings.push({ severity: 'blocker', code: 'gpo-scan-failed', message: `Group Policy could not be scanned for conflicts: ${failure.message}` });
    }
  });
  if (tenantFindings.some((f) => f.severity === 'blocker')) {
    for (const entry of report.domains) {
      if (entry.channel === 'intune') entry.findings.push(...tenantFindings.filter((f) => f.severity === 'blocker'));
    }
  }
  return tenantFindings;
}
