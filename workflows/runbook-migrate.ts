import { ApplicationFailure } from '@temporalio/workflow';
import { intuneDeliveryOf } from '../model/intune-delivery';
import type { RunbookReport } from '../model/report-types';
import { catalogProblems } from '../model/policy-verification';
import type { IntuneDomainSpec, RolloutSpec } from '../model/spec';
import { invalidInput, runRunbook, type RunbookDomain, type RunbookInputBase } from './runbook-common';

export type MigrateIntuneInput = RunbookInputBase;

const REQUEST =
  'move the Intune policy from the custom OMA-URI profile to the settings-catalog policy: create and assign the catalog policy, read it back, then unassign the group from the custom profile and remove the profile once nothing else is assigned to it';

/**
 * Moves intune-channel domains from the custom OMA-URI profile to the settings-catalog policy of the same name
 * without a gap: the catalog policy is created and assigned to the domain's group and read back first; only then is
 * the group unassigned from the custom profile, which is deleted when no other assignment is left. Every state in
 * between has the group receiving at least one of the two; every step is idempotent, so a failed or interrupted run
 * is simply run again. Domains are migrated one at a time. Plan mode reports every step's changes and changes nothing.
 */
export async function migrateIntune(input: MigrateIntuneInput): Promise<RunbookReport> {
  const { spec } = input;
  // Domains usually share the policy and the profile by name, and /assign replaces a whole set read just before:
  // one domain at a time, so no domain's assignment is lost to another's and the last one removes the profile.
  const oneAtATime = { ...input, spec: { ...spec, options: { ...spec.options, preflightConcurrency: 1 } } };
  return runRunbook('migrate-intune', oneAtATime, REQUEST, async (d) => {
    if (d.domain.channel !== 'intune') {
      d.steps.note('runbook.migrate-intune', { status: 'skipped', detail: 'a gpo-channel domain has no Intune policy' });
      return 'skipped';
    }
    if (intuneDeliveryOf(d.domain.intune) !== 'settings-catalog') {
      throw invalidInput(`${d.domain.name}: the spec says intune.delivery: custom-profile; set it to settings-catalog first, or the next rollout brings the custom profile back`);
    }
    return migrateDomain(d, d.domain.intune, spec);
  });
}

async function migrateDomain(d: RunbookDomain, intune: IntuneDomainSpec['intune'], spec: RolloutSpec): Promise<'planned' | 'succeeded' | 'skipped'> {
  const graph = graphOf(spec);
  const planOnly = d.planOnly;
  const group = await d.steps.run('intune.ensure-group', () => d.acts.intuneEnsureGroup({ ...graph, displayName: intune.group, planOnly: true }));
  const groupId = group.result.after?.id;
  Object.assign(d.steps.lastRecord()!, { changed: false, changes: [], detail: groupId ? `group ${intune.group} is ${groupId}` : `group ${intune.group} does not exist` });
  if (!groupId) {
    d.steps.note('intune.ensure-catalog-policy', { status: 'skipped', detail: `group ${intune.group} does not exist: nothing is assigned through it; run the rollout instead` });
    return 'skipped';
  }

  await d.steps.run('intune.ensure-catalog-policy', () => d.acts.intuneEnsureCatalogPolicy({ ...graph, name: intune.profile, requireSecurityDevice: spec.options.requireSecurityDevice, planOnly }));
  await d.steps.run('intune.ensure-catalog-assignment', () => d.acts.intuneEnsureCatalogAssignment({ ...graph, policyName: intune.profile, groupId, planOnly }));
  if (planOnly) {
    d.steps.note('policy.verify', { status: 'skipped', detail: 'plan: the catalog policy is read back once it is created and assigned, before the custom profile is touched' });
  } else {
    const read = await d.steps.run('policy.verify', () => d.acts.intuneReadCatalogPolicy({ ...graph, policyName: intune.profile }));
    const problems = catalogProblems(intune.profile, read.result, groupId);
    if (problems.length > 0) {
      const message = `${problems.join('; ')}: the custom profile stays assigned`;
      Object.assign(d.steps.lastRecord()!, { status: 'failed', error: { type: 'VerificationFailed', message } });
      throw ApplicationFailure.nonRetryable(message, 'VerificationFailed');
    }
  }

  const unassigned = await d.steps.run('intune.rollback-profile', () => d.acts.intuneRollbackProfile({ ...graph, profileDisplayName: intune.profile, groupId, planOnly }));
  const profile = unassigned.result.before;
  if (!profile) {
    d.steps.lastRecord()!.detail = `no custom profile named ${intune.profile}: nothing to remove`;
    return planOnly ? 'planned' : 'succeeded';
  }
  const others = profile.assignments.filter((a) => !(a.targetType === 'group' && a.groupId?.toLowerCase() === groupId.toLowerCase()));
  if (others.length > 0) {
    d.steps.note('intune.rollback-profile', { status: 'skipped', detail: `kept: custom profile ${intune.profile} has ${others.length} other assignment(s); it is removed once the last of them is migrated` });
  } else {
    await d.steps.run('intune.rollback-profile', () => d.acts.intuneRollbackProfile({ ...graph, profileDisplayName: intune.profile, deleteProfile: true, planOnly }));
  }
  return planOnly ? 'planned' : 'succeeded';
}

function graphOf(spec: RolloutSpec) {
  const graph = spec.tenant.graph;
  if (!graph) throw ApplicationFailure.nonRetryable('the intune channel needs tenant.graph in the spec', 'InvalidSpec');
  return { tenantId: spec.tenant.id, clientId: graph.clientId, certificateThumbprint: graph.certificateThumbprint, ...(graph.environment ? { environment: graph.environment } : {}) };
}
