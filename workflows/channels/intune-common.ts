import { ApplicationFailure } from '@temporalio/workflow';
import { graphEnvironment } from '../../model/cloud';
import type { IntuneDomainSpec, RolloutSpec } from '../../model/spec';
import type { DomainRolloutInput } from '../domain-input';
import type { RunbookDomain } from '../runbook-common';
import type { RollbackPolicy } from './channel';

type Tenant = RolloutSpec['tenant'];

function graphOfTenant(tenant: Tenant): NonNullable<Tenant['graph']> {
  const graph = tenant.graph;
  if (!graph) throw ApplicationFailure.nonRetryable('the intune channel needs tenant.graph in the spec', 'InvalidSpec');
  return graph;
}

export function graphOf(input: Pick<DomainRolloutInput, 'tenant'>) {
  return graphConnection(input.tenant, graphOfTenant(input.tenant));
}

/**
 * The Graph sign-in of the steps; the environment only when the spec names one or a cloud that implies one
 * (model/cloud.ts), so earlier histories replay unchanged.
 */
export function graphConnection(tenant: Tenant, graph: NonNullable<Tenant['graph']>) {
  const environment = graphEnvironment(tenant);
  return { tenantId: tenant.id, clientId: graph.clientId, certificateThumbprint: graph.certificateThumbprint, ...(environment ? { environment } : {}) };
}

/** The Graph sign-in of the rollback runbook's steps: it names no environment. */
export function rollbackGraphOf(spec: RolloutSpec) {
  const graph = graphOfTenant(spec.tenant);
  return { tenantId: spec.tenant.id, clientId: graph.clientId, certificateThumbprint: graph.certificateThumbprint };
}

export const WHFB_ENABLED_BY = {
  profile: 'WHfB enabled by policy (UsePassportForWork in the profile)',
  enrollmentConfiguration: 'WHfB enabled by the enrollment configuration (tenant-wide Windows Hello for Business: enabled)',
} as const;

/**
 * An Intune rollback: the group is looked up read-only (intuneEnsureGroup in plan mode); a group that does not exist
 * has nothing assigned. Otherwise `unassign` takes the policy from the group.
 */
export async function rollbackIntune(
  d: RunbookDomain,
  spec: RolloutSpec,
  intune: IntuneDomainSpec['intune'],
  policy: RollbackPolicy,
  unassign: (graph: ReturnType<typeof rollbackGraphOf>, groupId: string) => Promise<void>,
): Promise<void> {
  const graph = rollbackGraphOf(spec);
  const group = await d.steps.run('intune.ensure-group', () => d.acts.intuneEnsureGroup({ ...graph, displayName: intune.group, planOnly: true }));
  const groupId = group.result.after?.id;
  Object.assign(d.steps.lastRecord()!, { changed: false, changes: [], detail: groupId ? `group ${intune.group} is ${groupId}` : `group ${intune.group} does not exist` });
  if (!groupId) {
    d.steps.note('intune.rollback-profile', { status: 'skipped', detail: `group ${intune.group} does not exist: the profile is not assigned through it` });
    return;
  }
  await unassign(graph, groupId);
  if (policy === 'disable') d.steps.lastRecord()!.warnings.push('the Intune channel has no disable: the assignment to the group is removed instead (the profile stays)');
}
