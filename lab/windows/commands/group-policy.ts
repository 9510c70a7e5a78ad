import type { CommandSimulation } from './types';

export const groupPolicyCommands: Record<string, CommandSimulation> = {};
