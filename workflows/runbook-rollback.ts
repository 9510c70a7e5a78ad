import { ApplicationFailure } from '@temporalio/workflow';
import { intuneDeliveryOf } from '../model/intune-delivery';
import type { RunbookReport } from '../model/report-types';
import type { RolloutSpec } from '../model/spec';
import { invalidInput, needsOperator, runRunbook, unattendedSignIn, type RunbookDomain, type RunbookInputBase } from './runbook-common';

export interface RollbackInput extends RunbookInputBase {
  /** GPO channel: unlink the GPO from the spec's targets, or set Enabled = 0 in it. Intune: the assignment is removed either way. */
  policy: 'unlink' | 'disable';
  /** Remove the Azure AD Kerberos server object too; only together with confirmRemoval. */
  removeKerberosObject?: boolean;
  confirmRemoval?: boolean;
}

/**
 * Rolls a domain back: the policy first (GPO unlink or disable; Intune assignment removed), then — only when both
 * removeKerberosObject and confirmRemoval are set — the Azure AD Kerberos server object. A domain whose policy step
 * fails keeps its object. GPOs and custom profiles are never deleted; a settings-catalog policy left with no
 * assignment is deleted after it is unassigned. Plan mode changes nothing.
 */
export async function rollback(input: RollbackInput): Promise<RunbookReport> {
  const { spec, policy } = input;
  if (input.removeKerberosObject === true && input.confirmRemoval !== true) {
    throw invalidInput('removeKerberosObject needs confirmRemoval: removing the Azure AD Kerberos server object ends cloud Kerberos trust (and FIDO2 sign-in on premises) for the domain');
  }
  if (policy !== 'unlink' && policy !== 'disable') throw invalidInput(`policy must be unlink or disable, not ${JSON.stringify(policy)}`);
  const removeObject = input.removeKerberosObject === true && input.confirmRemoval === true;
  const request = [
    policy === 'unlink' ? 'unlink the GPO from its targets' : 'disable Windows Hello for Business in the GPO',
    "remove the Intune profile's assignment to the group (a settings-catalog policy left unassigned is deleted)",
    removeObject ? 'remove the Azure AD Kerberos server object' : 'keep the Azure AD Kerberos server object',
  ].join('; ');

  return runRunbook('rollback', input, request, async (d) => {
    if (d.domain.channel === 'gpo') await rollbackGpo(d, policy);
    else await rollbackIntune(d, spec, policy);

    if (!removeObject) {
      d.steps.note('kerberos-remove', { status: 'skipped', detail: 'kept: removal needs removeKerberosObject and confirmRemoval' });
      return d.planOnly ? 'planned' : 'succeeded';
    }
    const signIn = unattendedSignIn(spec, d.domain);
    if (!signIn) return needsOperator(spec, d, 'kerberos-remove', 'remove');
    await d.steps.run('kerberos-remove', () => d.acts.removeKerberosServer({ ...signIn, confirmRemoval: true, planOnly: d.planOnly }));
    return d.planOnly ? 'planned' : 'succeeded';
  });
}

async function rollbackGpo(d: RunbookDomain, policy: RollbackInput['policy']): Promise<void> {
  const gpo = d.domain.gpo!;
  const target = { domain: d.domain.name, gpoName: gpo.name, planOnly: d.planOnly };
  await d.steps.run('gpo-rollback', () =>
    d.acts.rollbackGpoPolicy(policy === 'unlink' ? { mode: 'unlink', ...target, targets: gpo.targets } : { mode: 'disable', ...target }),
  );
}

/** The group is looked up read-only (ensureIntuneGroup in plan mode); a group that does not exist has nothing assigned. */
async function rollbackIntune(d: RunbookDomain, spec: RolloutSpec, policy: RollbackInput['policy']): Promise<void> {
  const intune = d.domain.intune!;
  const graph = graphOf(spec);
  const group = await d.steps.run('intune-group', () => d.acts.ensureIntuneGroup({ ...graph, displayName: intune.group, planOnly: true }));
  const groupId = group.result.after?.id;
  Object.assign(d.steps.lastRecord()!, { changed: false, changes: [], detail: groupId ? `group ${intune.group} is ${groupId}` : `group ${intune.group} does not exist` });
  if (!groupId) {
    d.steps.note('intune-rollback', { status: 'skipped', detail: `group ${intune.group} does not exist: the profile is not assigned through it` });
    return;
  }
  if (intuneDeliveryOf(intune) === 'settings-catalog') {
    await rollbackCatalog(d, graph, intune.profile, groupId);
  } else {
    await d.steps.run('intune-rollback', () => d.acts.rollbackIntunePolicy({ ...graph, profileDisplayName: intune.profile, groupId, planOnly: d.planOnly }));
  }
  if (policy === 'disable') d.steps.lastRecord()!.warnings.push('the Intune channel has no disable: the assignment to the group is removed instead (the profile stays)');
}

/** The group's assignment first; then, when no other assignment is left, the policy itself. */
async function rollbackCatalog(d: RunbookDomain, graph: ReturnType<typeof graphOf>, policyName: string, groupId: string): Promise<void> {
  const unassigned = await d.steps.run('intune-catalog-rollback', () => d.acts.rollbackIntuneCatalogPolicy({ ...graph, policyName, groupId, planOnly: d.planOnly }));
  const state = unassigned.result.before;
  if (!state) return;
  const others = state.assignments.filter((a) => !(a.targetType === 'group' && a.groupId?.toLowerCase() === groupId.toLowerCase()));
  if (others.length > 0) {
    d.steps.note('intune-catalog-remove', { status: 'skipped', detail: `kept: policy ${policyName} has ${others.length} other assignment(s)` });
    return;
  }
  await d.steps.run('intune-catalog-remove', () => d.acts.rollbackIntuneCatalogPolicy({ ...graph, policyName, deletePolicy: true, planOnly: d.planOnly }));
}

function graphOf(spec: RolloutSpec) {
  const graph = spec.tenant.graph;
  if (!graph) throw ApplicationFailure.nonRetryable('the intune channel needs tenant.graph in the spec', 'InvalidSpec');
  return { tenantId: spec.tenant.id, clientId: graph.clientId, certificateThumbprint: graph.certificateThumbprint };
}
