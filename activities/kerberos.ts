import { runStepActivity } from './bridge/activity-step';
import type { ActivityDependencies } from './dependencies';
import { stepActivity } from './step-activity';
import {
  ensureKerberosServerStep,
  getKerberosServerStep,
  kerberosReplicationStep,
  removeKerberosServerStep,
  rotateKerberosKeyStep,
} from './steps/kerberos';
import { kerberosHealthStep } from './steps/kerberos-health';
import type { TenantCloud } from '../model/cloud';

/** Which admins sign in, by secret name: the values are resolved here and never enter workflow history. */
export interface KerberosSignIn {
  domain: string;
  cloudCredentialRef: string;
  domainCredentialRef?: string;
  /** The tenant's cloud (absent = public). */
  cloud?: TenantCloud;
}

/** Activities of the Azure AD Kerberos server object steps. */
export function createKerberosActivities(deps: ActivityDependencies) {
  async function credentials(input: KerberosSignIn) {
    return {
      domain: input.domain,
      cloudCredential: await deps.secrets.credential(input.cloudCredentialRef),
      domainCredential: input.domainCredentialRef ? await deps.secrets.credential(input.domainCredentialRef) : undefined,
      ...(input.cloud ? { cloud: input.cloud } : {}),
    };
  }
  const checkReplication = stepActivity(deps, kerberosReplicationStep);

  return {
    async kerberosReadServer(input: KerberosSignIn) {
      return runStepActivity(deps.pool, getKerberosServerStep, await credentials(input));
    },
    async kerberosEnsureServer(input: KerberosSignIn & { planOnly?: boolean; takeOver?: boolean }) {
      return runStepActivity(deps.pool, ensureKerberosServerStep, { ...(await credentials(input)), planOnly: input.planOnly, takeOver: input.takeOver });
    },
    async kerberosRotateKey(input: KerberosSignIn & { requestedAt: string; force?: boolean; planOnly?: boolean }) {
      return runStepActivity(deps.pool, rotateKerberosKeyStep, { ...(await credentials(input)), requestedAt: input.requestedAt, force: input.force, planOnly: input.planOnly });
    },
    async kerberosRemoveServer(input: KerberosSignIn & { confirmRemoval: true; planOnly?: boolean }) {
      return runStepActivity(deps.pool, removeKerberosServerStep, { ...(await credentials(input)), confirmRemoval: input.confirmRemoval, planOnly: input.planOnly });
    },
    async kerberosCheckHealth(input: { domain: string; server?: string; domainCredentialRef?: string }) {
      return runStepActivity(deps.pool, kerberosHealthStep, {
        domain: input.domain,
        ...(input.server ? { server: input.server } : {}),
        ...(input.domainCredentialRef ? { domainCredential: await deps.secrets.credential(input.domainCredentialRef) } : {}),
      });
    },
    async kerberosCheckReplication(input: { domain: string; sourceServer: string; servers: string[]; expectedKeyVersion?: number; domainCredentialRef?: string }) {
      const expected = input.expectedKeyVersion === undefined ? {} : { expectedKeyVersion: input.expectedKeyVersion };
      if (!input.domainCredentialRef) return checkReplication({ domain: input.domain, sourceServer: input.sourceServer, servers: input.servers, ...expected });
      return runStepActivity(deps.pool, kerberosReplicationStep, {
        domain: input.domain,
        sourceServer: input.sourceServer,
        servers: input.servers,
        ...expected,
        domainCredential: await deps.secrets.credential(input.domainCredentialRef),
      });
    },
  };
}
