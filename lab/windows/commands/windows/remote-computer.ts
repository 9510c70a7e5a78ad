import type { CommandCall, CommandContext } from '../types';
import { findComputer, type LabComputer } from './computers';

/** The simulated computer a remote command runs on (call.computer, set inside Invoke-Command script blocks). */
export async function remoteComputer(call: CommandCall, lab: CommandContext): Promise<LabComputer> {
  if (!call.computer) throw new Error('running it on the management host itself is not simulated (only inside Invoke-Command -ComputerName)');
  const computer = findComputer(await lab.read(), call.computer);
  if (!computer || computer.kind === 'management-host') throw new Error(`the simulated computer ${call.computer} is not in the estate`);
  return computer;
}

/** Parameters a simulation does not model: a defect, never a silently different answer. */
export function refuseParameters(call: CommandCall, names: string[]): void {
  for (const name of names) if (call.has(name)) throw new Error(`-${name} is not simulated`);
}
