import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { assessDomain, type PreflightAssessment } from '../model/preflight';

const { inventoryDomain } = proxyActivities<Activities>({
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
}

export interface PreflightReport extends PreflightAssessment {
  forest: string;
  warnings: string[];
}

/** Preflight of one domain: read its inventory through PowerShell, then judge it against the documented minimums. */
export async function preflightDomain(input: PreflightInput): Promise<PreflightReport> {
  const inventory = await inventoryDomain({ domain: input.domain });
  const assessment = assessDomain(inventory.result, { capacity: patched('dc-capacity-readiness'), minimumCapableWritablePerSite: input.minimumCapableDcsPerSite });
  return { ...assessment, forest: inventory.result.domain.forest, warnings: inventory.warnings };
}
