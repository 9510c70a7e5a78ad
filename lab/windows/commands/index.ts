import { activeDirectoryCommands } from './active-directory';
import { graphCommands } from './graph';
import { groupPolicyCommands } from './group-policy';
import { kerberosCommands } from './kerberos';
import { packageCommands } from './packages';
import { scheduledTaskCommands } from './scheduled-tasks';
import type { CommandSimulation, NativeSimulation } from './types';
import { windowsCommands, windowsNatives } from './windows';

/** Every simulated command by name (case-insensitive), one file per module family. */
const commands = new Map<string, CommandSimulation>();
for (const family of [activeDirectoryCommands, groupPolicyCommands, kerberosCommands, packageCommands, graphCommands, windowsCommands, scheduledTaskCommands]) {
  for (const [name, simulation] of Object.entries(family)) commands.set(name.toLowerCase(), simulation);
}
const natives = new Map<string, NativeSimulation>(Object.entries(windowsNatives).map(([name, simulation]) => [name.toLowerCase(), simulation]));

export function commandSimulation(name: string): CommandSimulation | undefined {
  return commands.get(name.toLowerCase());
}

export function nativeSimulation(name: string): NativeSimulation | undefined {
  return natives.get(name.toLowerCase());
}
