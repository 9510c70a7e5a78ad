import type { StepContract } from './contract';

/** The kerberos step contracts. */
export const kerberosSteps: readonly StepContract[] = [];
