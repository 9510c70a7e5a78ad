import type { CommandSimulation } from './types';

export const graphCommands: Record<string, CommandSimulation> = {};
