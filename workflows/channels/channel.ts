import type { RolloutSpec } from '../../model/spec';
import type { stepActivities } from '../activity-options';
import type { DomainRolloutInput } from '../domain-input';
import type { StepRecorder } from '../domain-steps';
import type { RunbookDomain } from '../runbook-common';

export type Acts = ReturnType<typeof stepActivities>;
/** The result of a step activity, as its step returns it. */
export type ResultOf<Step extends keyof Acts> = Awaited<ReturnType<Acts[Step]>>['result'];

/** GPO channel: unlink the GPO from the spec's targets, or set Enabled = 0 in it. Intune: the assignment is removed either way. */
export type RollbackPolicy = 'unlink' | 'disable';

/**
 * How the policy reaches one domain's devices: Group Policy, an Intune custom profile or an Intune settings-catalog
 * policy. One implementation per channel in this folder; channelFor picks the domain's.
 */
export interface PolicyChannel<Read = unknown> {
  /** Puts the policy in place (the rollout); in plan mode every step only reports. */
  ensure(acts: Acts, input: DomainRolloutInput, steps: StepRecorder): Promise<void>;
  /** Reads the policy back, as step verify-policy. */
  scan(acts: Acts, input: DomainRolloutInput, steps: StepRecorder): Promise<Read>;
  /** Reads the policy back and returns what is wrong with it (model/policy-verification.ts); none when it is in place. */
  verify(acts: Acts, input: DomainRolloutInput, steps: StepRecorder): Promise<string[]>;
  /** Takes the policy away from the domain's devices (the rollback runbook); in plan mode every step only reports. */
  rollback(d: RunbookDomain, spec: RolloutSpec, policy: RollbackPolicy): Promise<void>;
}
