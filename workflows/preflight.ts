import { patched } from '@temporalio/workflow';
import { kerberosHealthFindings, kerberosObjectProblems, kerberosObjectsPresent } from '../model/kerberos-health';
import { buildPolicyPicture, type PolicyPicture } from '../model/policy-conflicts';
import { assessDomain, type PreflightAssessment } from '../model/preflight';
import { namedActivities } from './activity-options';
import { describeFailure } from './domain-steps';

const acts = namedActivities({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 5,
  },
});

export interface PreflightInput {
  domain: string;
  /** Capable writable DCs each site needs; absent = 1. */
  minimumCapableDcsPerSite?: number;
  /** The OUs the GPO channel would target: GPOs linked at, above or inside them count in the policy picture. */
  targets?: string[];
  /** The GPO a rollout would manage (its own values are not conflicts). */
  gpoName?: string;
}

export interface PreflightReport extends PreflightAssessment {
  forest: string;
  warnings: string[];
  /** The domain's Group Policy sources of WHfB settings (Intune is read by a rollout, which knows the tenant). */
  policySources?: PolicyPicture;
}

/** Preflight of one domain: read its inventory through PowerShell, then judge it against the documented minimums. */
export async function preflightDomain(input: PreflightInput): Promise<PreflightReport> {
  const inventory = await acts.domainReadInventory({ domain: input.domain });
  const assessment = assessDomain(inventory.result, { capacity: patched('dc-capacity-readiness'), minimumCapableWritablePerSite: input.minimumCapableDcsPerSite });
  const report: PreflightReport = { ...assessment, forest: inventory.result.domain.forest, warnings: inventory.warnings };
  if (patched('kerberos-object-health')) {
    // An object that exists already (an earlier rollout, another tool) is judged before anything changes.
    try {
      const health = await acts.kerberosCheckHealth({ domain: input.domain });
      if (kerberosObjectsPresent(health.result)) report.findings.push(...kerberosHealthFindings(kerberosObjectProblems(health.result), input.domain, 'warning'));
    } catch (error) {
      report.warnings.push(`the Azure AD Kerberos server objects could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Added after executions of this workflow had run: those never scanned the GPOs.
  if (patched('policy-conflict-picture')) {
    const base = { domain: input.domain, channel: 'gpo' as const, targets: input.targets ?? [], ours: { gpo: input.gpoName }, intune: { status: 'not-read' as const, note: 'a domain preflight reads no tenant' } };
    try {
      const scan = await acts.gpoScanPassport({ domain: input.domain });
      report.policySources = buildPolicyPicture({ ...base, gpo: { status: 'read', facts: scan.result } });
      report.findings.push(...report.policySources.findings);
      report.warnings.push(...scan.warnings);
    } catch (error) {
      const failure = describeFailure(error);
      report.policySources = buildPolicyPicture({ ...base, gpo: { status: 'failed', note: failure.message } });
      report.findings.push({ severity: 'warning', code: 'gpo-scan-failed', message: `Group Policy could not be scanned for conflicts: ${failure.message}` });
    }
    report.ready = !report.findings.some((f) => f.severity === 'blocker');
  }
  return report;
}
