import type { StepContract } from './contract';

/** The intune step contracts. */
export const intuneSteps: readonly StepContract[] = [];
