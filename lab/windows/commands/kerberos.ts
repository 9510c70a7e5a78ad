import type { CommandSimulation } from './types';

export const kerberosCommands: Record<string, CommandSimulation> = {};
