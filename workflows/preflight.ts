import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { kerberosHealthFindings, kerberosObjectProblems, kerberosObjectsPresent } from '../model/kerberos-health';
import { assessDomain, type PreflightAssessment } from '../model/preflight';

const { inventoryDomain, checkKerberosObjectHealth } = proxyActivities<Activities>({
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
}

export interface PreflightReport extends PreflightAssessment {
  forest: string;
  warnings: string[];
}

/** Preflight of one domain: read its inventory through PowerShell, then judge it against the documented minimums. */
export async function preflightDomain(input: PreflightInput): Promise<PreflightReport> {
  const inventory = await inventoryDomain({ domain: input.domain });
  const assessment = assessDomain(inventory.result);
  const warnings = [...inventory.warnings];
  if (patched('kerberos-object-health')) {
    // An object that exists already (an earlier rollout, another tool) is judged before anything changes.
    try {
      const health = await checkKerberosObjectHealth({ domain: input.domain });
      if (kerberosObjectsPresent(health.result)) assessment.findings.push(...kerberosHealthFindings(kerberosObjectProblems(health.result), input.domain, 'warning'));
    } catch (error) {
      warnings.push(`the Azure AD Kerberos server objects could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { ...assessment, forest: inventory.result.domain.forest, warnings };
}
