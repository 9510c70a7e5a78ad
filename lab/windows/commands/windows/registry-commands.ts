import { loadCatalog } from '../../catalog';
import { encodeValue } from '../../../service/wire';
import type { CommandCall, CommandContext, CommandSimulation, LabObject } from '../types';
import type { RegistryValue } from './os-version';
import { parseRegistryPath, registryKey, type RegistryPath } from './registry';
import { hasWildcard, wildcard } from './wildcard';
import { refuseParameters, remoteComputer } from './remote-computer';

/** A value typed as the registry provider types it (REG_DWORD Int32, REG_QWORD Int64, REG_MULTI_SZ String[]). */
function wireValue(value: RegistryValue): unknown {
  const catalog = loadCatalog();
  const where = `registry value ${value.name}`;
  switch (value.kind) {
    case 'REG_DWORD':
      return encodeValue(catalog, 'int', value.value, where);
    case 'REG_QWORD':
      return encodeValue(catalog, 'long', value.value, where);
    case 'REG_MULTI_SZ':
      return encodeValue(catalog, 'string[]', value.value, where);
    default:
      return encodeValue(catalog, 'string', value.value, where);
  }
}

const withBase = (object: LabObject): LabObject => ({ ...object, types: [...object.types, 'System.Object'] });

function registryProvider(lab: CommandContext): LabObject {
  return withBase(
    lab.object('System.Management.Automation.ProviderInfo', {
      Name: 'Registry',
      ImplementingType: 'Microsoft.PowerShell.Commands.RegistryProvider',
      HelpFile: 'System.Management.Automation.dll-Help.xml',
      PSSnapIn: 'Microsoft.PowerShell.Core',
      ModuleName: 'Microsoft.PowerShell.Core',
      Description: '',
      Capabilities: 'ShouldProcess, Transactions',
      Home: '',
    }),
  );
}

function hklmDrive(lab: CommandContext): LabObject {
  return withBase(
    lab.object('System.Management.Automation.PSDriveInfo', {
      Name: 'HKLM',
      Provider: registryProvider(lab),
      Root: 'HKEY_LOCAL_MACHINE',
      Description: 'The configuration settings for the local computer',
      CurrentLocation: '',
    }),
  );
}

/** The key's values, then the PS* properties the provider adds (about_Registry_Provider; catalog PSCustomObject note). */
function itemProperties(lab: CommandContext, path: RegistryPath, values: RegistryValue[]): LabObject {
  const props: Record<string, unknown> = {};
  for (const value of values) props[value.name] = wireValue(value);
  const full = path.subKey ? `HKEY_LOCAL_MACHINE\\${path.subKey}` : 'HKEY_LOCAL_MACHINE';
  const cut = full.lastIndexOf('\\');
  props.PSPath = `Microsoft.PowerShell.Core\\Registry::${full}`;
  props.PSParentPath = cut > 0 ? `Microsoft.PowerShell.Core\\Registry::${full.slice(0, cut)}` : '';
  props.PSChildName = full.slice(cut + 1);
  if (path.drive) props.PSDrive = hklmDrive(lab);
  props.PSProvider = registryProvider(lab);
  return withBase(lab.object('System.Management.Automation.PSCustomObject', props));
}

function requestedPaths(call: CommandCall): { text: string; literal: boolean }[] {
  const literal = call.parameterSet === 'LiteralPath';
  return (call.get<string[]>(literal ? 'LiteralPath' : 'Path') ?? []).map((text) => ({ text, literal }));
}

function registryPathOrDefect(text: string, literal: boolean): RegistryPath {
  const path = parseRegistryPath(text);
  if (!path) throw new Error(`only HKLM: registry paths are simulated on remote computers, not ${JSON.stringify(text)}`);
  if (!literal && hasWildcard(text)) throw new Error(`wildcard paths are not simulated (${text})`);
  return path;
}

/**
 * Get-ItemProperty on the registry provider: one object per key; a key that does not exist is PathNotFound and
 * a -Name without wildcards that the key lacks is PropertyNotAtPath, both non-terminating (catalog errors).
 */
export const getItemProperty: CommandSimulation = async (call, lab) => {
  refuseParameters(call, ['Credential', 'Filter', 'Include', 'Exclude', 'UseTransaction']);
  const computer = await remoteComputer(call, lab);
  const names = call.get<string[]>('Name');
  const output: LabObject[] = [];
  for (const { text, literal } of requestedPaths(call)) {
    const path = registryPathOrDefect(text, literal);
    const found = registryKey(computer, path.subKey);
    if (found.state === 'unknown') throw new Error(`the registry key HKLM\\${path.subKey} of ${computer.id} is not simulated`);
    if (found.state === 'absent') {
      lab.writeError('PathNotFound', { path: text }, { targetObject: text });
      continue;
    }
    if (found.values === null) throw new Error(`the values of HKLM\\${path.subKey} on ${computer.id} are not simulated`);
    let values = found.values;
    if (names) {
      const chosen = new Set<RegistryValue>();
      for (const name of names) {
        const pattern = wildcard(name);
        const matches = values.filter((v) => (hasWildcard(name) ? pattern.test(v.name) : v.name.toLowerCase() === name.toLowerCase()));
        if (matches.length === 0 && !hasWildcard(name)) lab.writeError('PropertyNotAtPath', { name, providerPath: `HKEY_LOCAL_MACHINE\\${path.subKey}` }, { targetObject: name });
        for (const match of matches) chosen.add(match);
      }
      if (chosen.size === 0) continue;
      values = values.filter((v) => chosen.has(v));
    }
    output.push(itemProperties(lab, path, values));
  }
  return output;
};

/** Test-Path on the registry provider: keys are containers; a missing key is $false, never an error. */
export const testPath: CommandSimulation = async (call, lab) => {
  refuseParameters(call, ['Credential', 'Filter', 'Include', 'Exclude', 'UseTransaction', 'NewerThan', 'OlderThan']);
  const computer = await remoteComputer(call, lab);
  const pathType = call.get<string>('PathType') ?? 'Any';
  const output: boolean[] = [];
  for (const { text, literal } of requestedPaths(call)) {
    if (text === null || text === undefined || text === '') {
      output.push(false);
      continue;
    }
    const path = registryPathOrDefect(text, literal);
    if (call.get<boolean>('IsValid') === true) {
      output.push(true);
      continue;
    }
    const found = registryKey(computer, path.subKey);
    if (found.state === 'unknown') throw new Error(`whether HKLM\\${path.subKey} exists on ${computer.id} is not simulated`);
    output.push(found.state === 'present' && pathType !== 'Leaf');
  }
  return output;
};
