import type { z } from 'zod';
import { assessClient, type ClientVerdict } from '../model/client-assessment';
import { runStepActivity } from './bridge/activity-step';
import type { StepOutcome } from './bridge/run-step';
import type { ActivityDependencies } from './dependencies';
import { stepActivity } from './step-activity';
import {
  clientFactsSchema,
  clientsSampleStep,
  intuneEnsureAssignmentStep,
  intuneEnsureGroupStep,
  intuneEnsureProfileStep,
  intuneRollbackStep,
  intuneScanPassportStep,
  intuneTenantStep,
} from './steps/intune';
import { intuneCatalogReadStep, intuneCatalogRollbackStep, intuneEnsureCatalogAssignmentStep, intuneEnsureCatalogPolicyStep } from './steps/intune-catalog';

export type SampledClient = z.infer<typeof clientFactsSchema> & ClientVerdict;

export interface SampleClientsInput {
  computerName: string[];
  maxEvents?: number;
  /** Secret reference of a credential for PowerShell remoting; absent = the worker's own identity. */
  credentialRef?: string;
  /** The rollout's tenant: devices joined to another tenant are assessed not eligible. */
  tenantId?: string;
  /** Where dsregcmd runs; absent (inputs recorded before it existed) = over remoting. */
  collect?: 'user-session-task' | 'remoting';
}

/**
 * Activities of the Intune policy channel (Graph app-only sign-in with a certificate: nothing secret in the
 * input) and of client sampling.
 */
export function createIntuneActivities(deps: ActivityDependencies) {
  return {
    intuneReadTenant: stepActivity(deps, intuneTenantStep),
    intuneScanPassport: stepActivity(deps, intuneScanPassportStep),
    intuneEnsureGroup: stepActivity(deps, intuneEnsureGroupStep),
    intuneEnsureProfile: stepActivity(deps, intuneEnsureProfileStep),
    intuneEnsureAssignment: stepActivity(deps, intuneEnsureAssignmentStep),
    intuneRollbackProfile: stepActivity(deps, intuneRollbackStep),
    intuneReadCatalogPolicy: stepActivity(deps, intuneCatalogReadStep),
    intuneEnsureCatalogPolicy: stepActivity(deps, intuneEnsureCatalogPolicyStep),
    intuneEnsureCatalogAssignment: stepActivity(deps, intuneEnsureCatalogAssignmentStep),
    intuneRollbackCatalogPolicy: stepActivity(deps, intuneCatalogRollbackStep),

    /** Samples the named devices and assesses each (model/client-assessment.ts): cloud Kerberos trust, key trust fallback, certificate trust, not provisioned, not eligible, unreachable. */
    async clientsReadDevices(input: SampleClientsInput): Promise<StepOutcome<{ devices: SampledClient[] }>> {
      const credential = input.credentialRef === undefined ? undefined : await deps.secrets.credential(input.credentialRef);
      const collect = input.collect ?? 'remoting';
      const outcome = await runStepActivity(deps.pool, clientsSampleStep, { computerName: input.computerName, maxEvents: input.maxEvents, collect, credential });
      const devices = outcome.result.devices.map((device) => ({ ...device, ...assessClient(device, { tenantId: input.tenantId }) }));
      return { ...outcome, result: { devices } };
    },
  };
}
