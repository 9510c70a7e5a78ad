import type { DomainReport } from '../model/report-types';
import type { CloudSignIn, DomainSpec, RolloutSpec } from '../model/spec';

/** The input of one domain's rollout (workflows/domain.ts), which its policy channel reads too. */
export interface DomainRolloutInput {
  rollout: string;
  mode: 'plan' | 'apply';
  ring: string;
  domain: DomainSpec;
  tenant: RolloutSpec['tenant'];
  cloudSignIn: CloudSignIn;
  options: RolloutSpec['options'];
  taskQueue: string;
  /** Writable, reachable DCs found by preflight: where the Kerberos key must replicate. */
  writableServers: string[];
  /** False when the management host lacked AzureADHybridAuthenticationManagement before the run: a plan cannot read the object then. */
  moduleReady?: boolean;
  /** What the domain's preflight found, so this report is the domain's whole report (absent when the rollout kept it). */
  preflight?: Pick<DomainReport, 'findings' | 'sites' | 'policySources'>;
}
