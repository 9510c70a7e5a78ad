import type { StepContract } from './contract';
import { domainInventoryStep } from './domain-inventory';
import { echoStep } from './echo';
import { gpoSteps } from './gpo';
import { hostSteps } from './host';
import { intuneSteps } from './intune';
import { intuneCatalogSteps } from './intune-catalog';
import { kerberosSteps } from './kerberos';
import { userReadinessSteps } from './user-readiness';
import { kerberosHealthStep } from './kerberos-health';

/** Every step the host may run; the dispatcher is initialised with exactly these scripts. */
export const allSteps: readonly StepContract[] = [
  echoStep,
  domainInventoryStep,
  ...hostSteps,
  ...kerberosSteps,
  kerberosHealthStep,
  ...gpoSteps,
  ...intuneSteps,
  ...intuneCatalogSteps,
  ...userReadinessSteps,
];
