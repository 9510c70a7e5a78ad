import type { StepContract } from './contract';

/** The gpo step contracts. */
export const gpoSteps: readonly StepContract[] = [];
