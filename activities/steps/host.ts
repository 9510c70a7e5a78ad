import type { StepContract } from './contract';

/** The host step contracts. */
export const hostSteps: readonly StepContract[] = [];
