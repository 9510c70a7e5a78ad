import { authenticationCommands } from './graph/authentication';
import { deviceManagementCommands } from './graph/device-management-cmdlets';
import { directoryCommands } from './graph/directory-cmdlets';
import { invokeRequestCommands } from './graph/invoke-request';
import type { CommandSimulation } from './types';

/** Every Microsoft.Graph.* module (catalog Microsoft.Graph.*.json): one simulated Graph service over the estate's tenant. */
export const graphCommands: Record<string, CommandSimulation> = {
  ...authenticationCommands,
  ...directoryCommands,
  ...deviceManagementCommands,
  ...invokeRequestCommands,
};
