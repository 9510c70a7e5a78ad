import type { CommandSimulation, NativeSimulation } from './types';

export const windowsCommands: Record<string, CommandSimulation> = {};

export const windowsNatives: Record<string, NativeSimulation> = {};
