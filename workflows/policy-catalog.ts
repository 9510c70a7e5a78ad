import { catalogSetting } from '../model/intune-delivery';
import type { stepActivities } from './activity-options';
import type { DomainRolloutInput } from './domain';
import type { StepRecorder } from './domain-steps';
import { graphOf, WHFB_ENABLED_BY } from './policy-channel';

type Acts = ReturnType<typeof stepActivities>;

const CLOUD_TRUST = catalogSetting('usecloudtrustforonpremauth');
const USE_PASSPORT = catalogSetting('usepassportforwork');

/** The Intune channel through a settings-catalog policy: the group, the policy, its assignment to the group. */
export async function applyCatalogPolicy(acts: Acts, input: DomainRolloutInput, steps: StepRecorder): Promise<void> {
  const planOnly = input.mode === 'plan';
  const intune = input.domain.intune!;
  const graph = graphOf(input);
  const group = await steps.run('intune-group', () => acts.ensureIntuneGroup({ ...graph, displayName: intune.group, planOnly }));
  const policy = await steps.run('intune-catalog-policy', () =>
    acts.ensureIntuneCatalogPolicy({ ...graph, name: intune.profile, requireSecurityDevice: input.options.requireSecurityDevice, planOnly }),
  );
  const record = steps.lastRecord()!;
  record.detail = WHFB_ENABLED_BY[policy.result.whfb.enabledBy];
  if (input.options.pinComplexity) record.warnings.push('options.pinComplexity is not delivered by the settings-catalog policy: set intune.delivery: custom-profile to deliver PIN complexity through Intune');
  const groupId = group.result.after?.id;
  if (!groupId) {
    steps.note('intune-catalog-assignment', { status: 'skipped', changes: [`assign ${intune.profile} to ${intune.group} once the group exists`] });
    return;
  }
  await steps.run('intune-catalog-assignment', () => acts.ensureIntuneCatalogAssignment({ ...graph, policyName: intune.profile, groupId, planOnly }));
}

/**
 * What is wrong with the settings-catalog policy as Graph returns it: missing, cloud trust not set, WHfB switched
 * off, or not assigned (to `groupId` when given, else to any group).
 */
export function catalogProblems(
  name: string,
  read: { policy: { settings: { settingDefinitionId: string; value: string | null }[] } | null; assignments: { targetType: string; groupId: string | null }[] },
  groupId?: string,
): string[] {
  if (!read.policy) return [`settings-catalog policy ${name} not found`];
  const problems: string[] = [];
  const value = (id: string) => read.policy!.settings.find((s) => s.settingDefinitionId === id)?.value;
  if (value(CLOUD_TRUST) !== `${CLOUD_TRUST}_true`) problems.push(`settings-catalog policy ${name} does not set Use Cloud Trust For On Prem Auth to true`);
  if (value(USE_PASSPORT) === `${USE_PASSPORT}_false`) problems.push(`settings-catalog policy ${name} sets Use Windows Hello For Business to false`);
  const groups = read.assignments.filter((a) => a.targetType === 'group' && a.groupId);
  if (groupId ? !groups.some((a) => a.groupId!.toLowerCase() === groupId.toLowerCase()) : groups.length === 0) {
    problems.push(`settings-catalog policy ${name} is not assigned to ${groupId ? `group ${groupId}` : 'a group'}`);
  }
  return problems;
}

/** Reads the settings-catalog policy back (step verify-policy) and returns its problems. */
export async function verifyCatalogPolicy(acts: Acts, input: DomainRolloutInput, steps: StepRecorder): Promise<string[]> {
  const intune = input.domain.intune!;
  const read = await steps.run('verify-policy', () => acts.readIntuneCatalogPolicy({ ...graphOf(input), policyName: intune.profile }));
  return catalogProblems(intune.profile, read.result);
}
