import type { StepContract } from './contract';
import { domainInventoryStep } from './domain-inventory';
import { echoStep } from './echo';

/** Every step the host may run; the dispatcher is initialised with exactly these scripts. */
export const allSteps: readonly StepContract[] = [echoStep, domainInventoryStep];
