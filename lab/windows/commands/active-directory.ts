import type { CommandSimulation } from './types';

export const activeDirectoryCommands: Record<string, CommandSimulation> = {};
