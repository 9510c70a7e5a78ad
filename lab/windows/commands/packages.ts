import type { CommandSimulation } from './types';

export const packageCommands: Record<string, CommandSimulation> = {};
