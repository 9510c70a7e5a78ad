import { intuneProfileProblems } from '../../model/policy-verification';
import type { IntuneDomainSpec } from '../../model/spec';
import type { PolicyChannel, ResultOf } from './channel';
import { graphOf, rollbackIntune, WHFB_ENABLED_BY } from './intune-common';
import { characterRule as rule } from './pin-rule';

/** Intune through a custom OMA-URI profile: the group, the profile, its assignment to the group. */
export function intuneProfileChannel(domain: IntuneDomainSpec): PolicyChannel<ResultOf<'intuneScanPassport'>> {
  const intune = domain.intune;
  const channel: PolicyChannel<ResultOf<'intuneScanPassport'>> = {
    async ensure(acts, input, steps) {
      const planOnly = input.mode === 'plan';
      const pin = input.options.pinComplexity;
      const graph = graphOf(input);
      const group = await steps.run('intune.ensure-group', () => acts.intuneEnsureGroup({ ...graph, displayName: intune.group, planOnly }));
      const profile = await steps.run('intune.ensure-profile', () =>
        acts.intuneEnsureProfile({
          ...graph,
          displayName: intune.profile,
          requireSecurityDevice: input.options.requireSecurityDevice,
          pinMinimumLength: pin?.minimumLength,
          pinMaximumLength: pin?.maximumLength,
          pinDigits: rule(pin?.digits),
          pinLowercaseLetters: rule(pin?.lowercaseLetters),
          pinUppercaseLetters: rule(pin?.uppercaseLetters),
          pinSpecialCharacters: rule(pin?.specialCharacters),
          pinHistory: pin?.history,
          pinExpiration: pin?.expirationDays,
          planOnly,
        }),
      );
      // Results recorded before the step reported it (replayed histories) carry no whfb.
      const enabledBy = (profile.result as { whfb?: typeof profile.result.whfb }).whfb?.enabledBy;
      if (enabledBy) steps.lastRecord()!.detail = WHFB_ENABLED_BY[enabledBy];
      const groupId = group.result.after?.id;
      if (!groupId) {
        steps.note('intune.ensure-assignment', { status: 'skipped', changes: [`assign ${intune.profile} to ${intune.group} once the group exists`] });
        return;
      }
      await steps.run('intune.ensure-assignment', () => acts.intuneEnsureAssignment({ ...graph, profileDisplayName: intune.profile, groupId, planOnly }));
    },

    async scan(acts, input, steps) {
      return (await steps.run('policy.verify', () => acts.intuneScanPassport(graphOf(input)))).result;
    },

    async verify(acts, input, steps) {
      return intuneProfileProblems(intune.profile, await channel.scan(acts, input, steps));
    },

    async rollback(d, spec, policy) {
      await rollbackIntune(d, spec, intune, policy, async (graph, groupId) => {
        await d.steps.run('intune.rollback-profile', () => d.acts.intuneRollbackProfile({ ...graph, profileDisplayName: intune.profile, groupId, planOnly: d.planOnly }));
      });
    },
  };
  return channel;
}
