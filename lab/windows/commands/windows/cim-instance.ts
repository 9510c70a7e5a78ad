import { consoleUser } from '../scheduled-tasks';
import type { CommandSimulation } from '../types';
import { refuseParameters, remoteComputer } from './remote-computer';

/**
 * Get-CimInstance -ClassName Win32_ComputerSystem on a simulated computer (catalog Windows.json): its name, domain
 * and the user signed in at its console (UserName, null when nobody is).
 */
export const getCimInstance: CommandSimulation = async (call, lab) => {
  refuseParameters(call, ['ComputerName', 'Filter', 'Query', 'KeyOnly', 'Shallow', 'QueryDialect']);
  const className = call.get<string>('ClassName') ?? '';
  const namespace = call.get<string>('Namespace') ?? 'root/cimv2';
  if (className.toLowerCase() !== 'win32_computersystem' || !/^root[\\/]cimv2$/i.test(namespace)) throw new Error(`Get-CimInstance is simulated for Win32_ComputerSystem in root/cimv2 only, not ${namespace}:${className}`);
  const computer = await remoteComputer(call, lab);
  const estate = await lab.read();
  const shortName = computer.fqdn.split('.')[0].toUpperCase();
  const domain = computer.kind === 'management-host' ? '' : (computer.domain?.dnsName ?? computer.fqdn.split('.').slice(1).join('.'));
  const userName = computer.kind === 'device' ? consoleUser(estate, computer.device) : null;
  const object = lab.object('Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_ComputerSystem', {
    Name: shortName,
    Domain: domain,
    PartOfDomain: domain !== '',
    UserName: userName,
    Manufacturer: 'Microsoft Corporation',
    Model: 'Virtual Machine',
  });
  return [{ ...object, types: [...object.types, 'Microsoft.Management.Infrastructure.CimInstance', 'System.Object'] }];
};
