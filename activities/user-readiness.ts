import { READINESS_FAILING_LIMIT } from '../model/user-readiness';
import { runStepActivity } from './bridge/activity-step';
import type { ActivityDependencies } from './dependencies';
import { kerberosReplicationPolicyStep, userReadinessStep } from './steps/user-readiness';

export interface GraphSignIn {
  tenantId: string;
  clientId: string;
  certificateThumbprint: string;
  environment?: 'Global' | 'USGov' | 'USGovDoD' | 'China';
}

/**
 * Activities of the ring readiness check: the AzureADKerberos password replication policy, then the users of the
 * ring's groups. The domain credential is a secret reference resolved here; the users who fail are bounded before
 * they reach workflow history.
 */
export function createUserReadinessActivities(deps: ActivityDependencies) {
  const credential = async (ref?: string) => (ref ? { domainCredential: await deps.secrets.credential(ref) } : {});
  return {
    async kerberosReadReplicationPolicy(input: { domain: string; userGroups: string[]; domainCredentialRef?: string }) {
      return runStepActivity(deps.pool, kerberosReplicationPolicyStep, { domain: input.domain, userGroups: input.userGroups, ...(await credential(input.domainCredentialRef)) });
    },
    async usersCheckReadiness(input: {
      domain: string;
      userGroups: string[];
      allowedSids: string[];
      deniedSids: string[];
      deniedNames: string[];
      maxUsers?: number;
      domainCredentialRef?: string;
      graph?: GraphSignIn;
    }) {
      const outcome = await runStepActivity(deps.pool, userReadinessStep, {
        domain: input.domain,
        userGroups: input.userGroups,
        allowedSids: input.allowedSids,
        deniedSids: input.deniedSids,
        deniedNames: input.deniedNames,
        maxUsers: input.maxUsers,
        ...(await credential(input.domainCredentialRef)),
        ...(input.graph ?? {}),
      });
      const { users, ...rest } = outcome.result;
      const failing = users.filter((u) => !u.ready);
      return {
        ...outcome,
        result: { ...rest, ready: users.length - failing.length, failingCount: failing.length, failing: failing.slice(0, READINESS_FAILING_LIMIT).map(({ ready: _ready, ...user }) => user) },
      };
    },
  };
}
