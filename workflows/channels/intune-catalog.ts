import { catalogProblems } from '../../model/policy-verification';
import type { IntuneDomainSpec } from '../../model/spec';
import type { RunbookDomain } from '../runbook-common';
import type { PolicyChannel, ResultOf } from './channel';
import { graphOf, rollbackIntune, WHFB_ENABLED_BY, type rollbackGraphOf } from './intune-common';

/** Intune through a settings-catalog policy: the group, the policy, its assignment to the group. */
export function intuneCatalogChannel(domain: IntuneDomainSpec): PolicyChannel<ResultOf<'intuneReadCatalogPolicy'>> {
  const intune = domain.intune;
  const channel: PolicyChannel<ResultOf<'intuneReadCatalogPolicy'>> = {
    async ensure(acts, input, steps) {
      const planOnly = input.mode === 'plan';
      const graph = graphOf(input);
      const group = await steps.run('intune.ensure-group', () => acts.intuneEnsureGroup({ ...graph, displayName: intune.group, planOnly }));
      const policy = await steps.run('intune.ensure-catalog-policy', () =>
        acts.intuneEnsureCatalogPolicy({ ...graph, name: intune.profile, requireSecurityDevice: input.options.requireSecurityDevice, planOnly }),
      );
      const record = steps.lastRecord()!;
      record.detail = WHFB_ENABLED_BY[policy.result.whfb.enabledBy];
      if (input.options.pinComplexity) record.warnings.push('options.pinComplexity is not delivered by the settings-catalog policy: set intune.delivery: custom-profile to deliver PIN complexity through Intune');
      const groupId = group.result.after?.id;
      if (!groupId) {
        steps.note('intune.ensure-catalog-assignment', { status: 'skipped', changes: [`assign ${intune.profile} to ${intune.group} once the group exists`] });
        return;
      }
      await steps.run('intune.ensure-catalog-assignment', () => acts.intuneEnsureCatalogAssignment({ ...graph, policyName: intune.profile, groupId, planOnly }));
    },

    async scan(acts, input, steps) {
      return (await steps.run('policy.verify', () => acts.intuneReadCatalogPolicy({ ...graphOf(input), policyName: intune.profile }))).result;
    },

    async verify(acts, input, steps) {
      return catalogProblems(intune.profile, await channel.scan(acts, input, steps));
    },

    async rollback(d, spec, policy) {
      await rollbackIntune(d, spec, intune, policy, (graph, groupId) => unassignCatalog(d, graph, intune.profile, groupId));
    },
  };
  return channel;
}

/** The group's assignment first; then, when no other assignment is left, the policy itself. */
async function unassignCatalog(d: RunbookDomain, graph: ReturnType<typeof rollbackGraphOf>, policyName: string, groupId: string): Promise<void> {
  const unassigned = await d.steps.run('intune.rollback-catalog-policy', () => d.acts.intuneRollbackCatalogPolicy({ ...graph, policyName, groupId, planOnly: d.planOnly }));
  const state = unassigned.result.before;
  if (!state) return;
  const others = state.assignments.filter((a) => !(a.targetType === 'group' && a.groupId?.toLowerCase() === groupId.toLowerCase()));
  if (others.length > 0) {
    d.steps.note('intune.rollback-catalog-policy', { status: 'skipped', detail: `kept: policy ${policyName} has ${others.length} other assignment(s)` });
    return;
  }
  await d.steps.run('intune.rollback-catalog-policy', () => d.acts.intuneRollbackCatalogPolicy({ ...graph, policyName, deletePolicy: true, planOnly: d.planOnly }));
}
