import type { CommandSimulation, NativeSimulation } from './types';
import { getCimInstance } from './windows/cim-instance';
import { dsregcmd } from './windows/dsregcmd';
import { getWinEvent } from './windows/events';
import { invokeCommand } from './windows/invoke-command';
import { getItemProperty, testPath } from './windows/registry-commands';

/**
 * Windows outside modules (catalog/Windows.json): the connect decision of Invoke-Command -ComputerName, and inside
 * a simulated remote computer its registry (Get-ItemProperty, Test-Path), its event log (Get-WinEvent) and dsregcmd.
 */
export const windowsCommands: Record<string, CommandSimulation> = {
  'Invoke-Command': invokeCommand,
  'Get-ItemProperty': getItemProperty,
  'Test-Path': testPath,
  'Get-WinEvent': getWinEvent,
  'Get-CimInstance': getCimInstance,
};

export const windowsNatives: Record<string, NativeSimulation> = {
  'dsregcmd.exe': dsregcmd,
};
