import { patched } from '@temporalio/workflow';
import { gpoPolicyProblems } from '../../model/policy-verification';
import type { GpoDomainSpec } from '../../model/spec';
import type { PolicyChannel, ResultOf } from './channel';
import { characterRule as rule } from './pin-rule';

/** Group Policy: the GPO with the policy, its security filtering to the computer group, its links to the targets. */
export function gpoChannel(domain: GpoDomainSpec): PolicyChannel<ResultOf<'gpoScanPassport'>> {
  const gpo = domain.gpo;
  const target = { domain: domain.name, gpoName: gpo.name };
  const channel: PolicyChannel<ResultOf<'gpoScanPassport'>> = {
    async ensure(acts, input, steps) {
      const planOnly = input.mode === 'plan';
      const pin = input.options.pinComplexity;
      await steps.run('gpo.ensure-policy', () =>
        acts.gpoEnsurePolicy({
          ...target,
          requireSecurityDevice: input.options.requireSecurityDevice,
          pinComplexity: pin && {
            minimumPinLength: pin.minimumLength,
            maximumPinLength: pin.maximumLength,
            uppercaseLetters: rule(pin.uppercaseLetters),
            lowercaseLetters: rule(pin.lowercaseLetters),
            specialCharacters: rule(pin.specialCharacters),
            digits: rule(pin.digits),
            history: pin.history,
            expiration: pin.expirationDays,
          },
          planOnly,
        }),
      );
      const links = () => steps.run('gpo.ensure-links', () => acts.gpoEnsureLinks({ ...target, targets: gpo.targets, planOnly }));
      const filtering = () => steps.run('gpo.ensure-filtering', () => acts.gpoEnsureFiltering({ ...target, groupName: gpo.computerGroup, planOnly }));
      // A new GPO is linked nowhere and grants Authenticated Users GpoApply: filtered first, then linked, no state of
      // the rollout (a failed or crashed one included) applies it to every computer under the targets.
      if (patched('gpo-filter-before-link')) {
        await filtering();
        await links();
      } else {
        await links();
        await filtering();
      }
    },

    async scan(acts, _input, steps) {
      return (await steps.run('policy.verify', () => acts.gpoScanPassport({ domain: domain.name }))).result;
    },

    async verify(acts, input, steps) {
      return gpoPolicyProblems(gpo, await channel.scan(acts, input, steps));
    },

    async rollback(d, _spec, policy) {
      const step = { ...target, planOnly: d.planOnly };
      await d.steps.run('gpo.rollback-policy', () =>
        d.acts.gpoRollbackPolicy(policy === 'unlink' ? { mode: 'unlink', ...step, targets: gpo.targets } : { mode: 'disable', ...step }),
      );
    },
  };
  return channel;
}
