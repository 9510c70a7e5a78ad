import type { LabDomain, LabGpo } from '../../../estate/schema';
import { catalogTarget, failWith } from '../active-directory/errors';
import { sameText } from '../active-directory/names';
import type { CommandCall, CommandContext, CommandSimulation, LabObject } from '../types';
import { gpConnect } from './connection';
import { changeGpo, findGpo, touch } from './gpo';

/**
 * Registry-based policy settings of a GPO (its Registry.pol files): Get-, Set- and Remove-GPRegistryValue.
 * -Key starts with HKLM / HKEY_LOCAL_MACHINE (Computer Configuration) or HKCU / HKEY_CURRENT_USER (User
 * Configuration); key paths compare case-insensitively, as registry paths do.
 */

type Setting = LabGpo['registryValues'][number];

interface Key {
  hive: 'LocalMachine' | 'CurrentUser';
  /** The path below the hive, as written. */
  path: string;
}

const LONG = { LocalMachine: 'HKEY_LOCAL_MACHINE', CurrentUser: 'HKEY_CURRENT_USER' } as const;
const SHORT = { LocalMachine: 'HKLM', CurrentUser: 'HKCU' } as const;

export function parseKey(key: string): Key | undefined {
  const match = /^(HKLM|HKEY_LOCAL_MACHINE|HKCU|HKEY_CURRENT_USER)(?::)?(?:\\(.*))?$/i.exec(key.trim());
  if (!match) return undefined;
  const hive = /^(HKLM|HKEY_LOCAL_MACHINE)$/i.test(match[1]) ? 'LocalMachine' : 'CurrentUser';
  return { hive, path: (match[2] ?? '').replace(/\\+$/, '') };
}

const samePath = (a: string, b: string) => sameText(a, b);
const below = (path: string, root: string) => path.toLowerCase().startsWith(`${root.toLowerCase()}\\`);

function settingKey(setting: Setting): Key | undefined {
  return parseKey(setting.key);
}

/** The setting's value as the API returns it: int for DWord, long for QWord, string[] for MultiString. */
function typedValue(setting: Setting): unknown {
  if (setting.policyState === 'Delete') return null;
  if (setting.type === 'DWord') return { $t: 'int', v: Number(setting.value) | 0 };
  if (setting.type === 'QWord') return { $t: 'long', v: Number(setting.value) };
  if (setting.type === 'MultiString') return { $t: 'string[]', v: String(setting.value).split('\u0000') };
  return String(setting.value);
}

function policySetting(lab: CommandContext, setting: Setting, key: Key): LabObject {
  return lab.object('Microsoft.GroupPolicy.PolicyRegistrySetting', {
    FullKeyPath: `${LONG[key.hive]}\\${key.path}`,
    HasValue: setting.policyState !== 'Delete',
    Hive: key.hive,
    KeyPath: key.path,
    PolicyState: setting.policyState ?? 'Set',
    Type: setting.type,
    Value: typedValue(setting),
    ValueName: setting.valueName,
  });
}

/**
 * Get-GPRegistryValue (docs): with -ValueName the one setting; with -Key only, a PolicyRegistrySetting per value
 * configured directly under the key plus an item (KeyPath, FullKeyPath, Hive) per first-level subkey that holds
 * a setting at any depth. A key or value the GPO does not configure is the documented error.
 */
export const getGpRegistryValue: CommandSimulation = async (call, lab) => {
  const connection = gpConnect(call, lab, await lab.read());
  const gpo = findGpo(call, lab, connection.domain);
  const given = call.get<string>('Key') ?? '';
  const key = parseKey(given);
  const values = { key: key ? `${LONG[key.hive]}${key.path ? `\\${key.path}` : ''}` : given };
  const unable = (inner?: string): never => lab.fail('UnableToRetrievePolicyRegistryItem', values, { targetObject: catalogTarget(call, 'UnableToRetrievePolicyRegistryItem', values), ...(inner ? { inner: { key: inner } } : {}) });
  if (!key) return unable();
  if (gpo.sysvolAccessDenied) return unable('GPAccessDenied');
  const mine = gpo.registryValues.map((setting) => ({ setting, key: settingKey(setting) })).filter((s): s is { setting: Setting; key: Key } => s.key?.hive === key.hive);
  // A half without any setting has no Registry.pol at all.
  const notConfigured = (): never => unable(mine.length === 0 ? 'GPRegistryPolNotFound' : undefined);
  const direct = mine.filter((s) => samePath(s.key.path, key.path));
  const valueName = call.get<string>('ValueName');
  if (valueName !== undefined) {
    const found = direct.find((s) => sameText(s.setting.valueName, valueName));
    if (!found) return notConfigured();
    return [policySetting(lab, found.setting, found.key)];
  }
  const subkeys: string[] = [];
  for (const { key: stored } of mine) {
    if (!below(stored.path, key.path) && key.path !== '') continue;
    const rest = key.path === '' ? stored.path : stored.path.slice(key.path.length + 1);
    if (rest === '') continue;
    const child = `${stored.path.slice(0, stored.path.length - rest.length)}${rest.split('\\')[0]}`;
    if (!subkeys.some((s) => samePath(s, child))) subkeys.push(child);
  }
  if (direct.length === 0 && subkeys.length === 0) return notConfigured();
  return [
    ...direct.map((s) => policySetting(lab, s.setting, s.key)),
    ...subkeys.map((path) => lab.object('Microsoft.GroupPolicy.RegistryItem', { FullKeyPath: `${LONG[key.hive]}\\${path}`, Hive: key.hive, KeyPath: path })),
  ];
};

/** Editing a setting reads and rewrites Registry.pol: a GPO whose SYSVOL folder cannot be read cannot be edited either. */
function unreadable(call: CommandCall, lab: CommandContext, gpo: LabGpo): void {
  if (gpo.sysvolAccessDenied) failWith(call, lab, 'GPAccessDenied');
}

/** The mutation key of one setting: gpovalue:<domain>:<GPO>:<HKLM|HKCU>\<path>\<value name>. */
export const settingMutation = (domain: LabDomain, gpo: LabGpo, key: Key, valueName: string) => `gpovalue:${domain.dnsName}:${gpo.displayName}:${SHORT[key.hive]}\\${key.path}\\${valueName}`;

function registryValueOf(type: string, value: unknown): number | string {
  switch (type) {
    case 'DWord':
    case 'QWord': {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new Error(`Set-GPRegistryValue: ${JSON.stringify(value)} is not a ${type} value`);
      return Math.trunc(number);
    }
    case 'MultiString':
      return (Array.isArray(value) ? value : [value]).map(String).join('\u0000');
    default:
      return String(value ?? '');
  }
}

/**
 * Set-GPRegistryValue: configures one or more values under -Key (a setting for the same value is replaced);
 * -Disable writes a setting that deletes the value on clients (PolicyState Delete). Several value names with a
 * list of values replace the other values under the key unless -Additive (docs). Outputs the Gpo.
 */
export const setGpRegistryValue: CommandSimulation = async (call, lab) => {
  const key = parseKey(call.get<string>('Key') ?? '');
  if (!key) throw new Error(`Set-GPRegistryValue: -Key ${JSON.stringify(call.get('Key'))} does not start with HKLM or HKCU`);
  const names = call.get<string[] | string>('ValueName');
  const valueNames = names === undefined ? [''] : Array.isArray(names) ? names : [names];
  const rawValue = call.get<unknown>('Value');
  const values = valueNames.length > 1 && Array.isArray(rawValue) ? rawValue : valueNames.map(() => rawValue);
  const disable = call.get<boolean>('Disable') === true;
  const type = call.get<string>('Type') ?? (typeof rawValue === 'number' ? 'DWord' : 'String');
  if (!disable && !['String', 'ExpandString', 'DWord', 'QWord', 'MultiString', 'Binary'].includes(type)) throw new Error(`Set-GPRegistryValue: -Type ${type} is not modelled`);
  const object = await changeGpo(call, lab, 'edit', (gpo, domain, _connection, record) => {
    unreadable(call, lab, gpo);
    const stored = `${SHORT[key.hive]}\\${key.path}`;
    if (valueNames.length > 1 && call.get<boolean>('Additive') !== true) {
      gpo.registryValues = gpo.registryValues.filter((s) => {
        const k = settingKey(s);
        const replaced = k?.hive === key.hive && samePath(k.path, key.path) && !valueNames.some((n) => sameText(n, s.valueName));
        if (replaced) record(settingMutation(domain, gpo, key, s.valueName));
        return !replaced;
      });
    }
    let changed = false;
    valueNames.forEach((valueName, index) => {
      const next: Setting = disable
        ? { key: stored, valueName, type: 'String', value: '', policyState: 'Delete' }
        : { key: stored, valueName, type: type as Setting['type'], value: registryValueOf(type, values[index]) };
      const existing = gpo.registryValues.find((s) => {
        const k = settingKey(s);
        return k?.hive === key.hive && samePath(k.path, key.path) && sameText(s.valueName, valueName);
      });
      if (existing && existing.type === next.type && existing.value === next.value && (existing.policyState ?? 'Set') === (next.policyState ?? 'Set')) return;
      if (existing) {
        existing.type = next.type;
        existing.value = next.value;
        if (next.policyState) existing.policyState = next.policyState;
        else delete existing.policyState;
      } else gpo.registryValues.push(next);
      record(settingMutation(domain, gpo, key, valueName));
      changed = true;
    });
    if (changed) touch(gpo, key.hive === 'LocalMachine' ? 'computer' : 'user', lab.now());
  });
  return [object];
};

/**
 * Remove-GPRegistryValue: removes the setting of -ValueName, or with -Key only every setting under the key and
 * its subkeys; clients keep the value already written (docs). Removing what the GPO does not configure changes
 * nothing (no error is documented). Outputs the Gpo.
 */
export const removeGpRegistryValue: CommandSimulation = async (call, lab) => {
  const key = parseKey(call.get<string>('Key') ?? '');
  if (!key) throw new Error(`Remove-GPRegistryValue: -Key ${JSON.stringify(call.get('Key'))} does not start with HKLM or HKCU`);
  const valueName = call.get<string>('ValueName');
  const object = await changeGpo(call, lab, 'edit', (gpo, domain, _connection, record) => {
    unreadable(call, lab, gpo);
    const before = gpo.registryValues.length;
    gpo.registryValues = gpo.registryValues.filter((s) => {
      const k = settingKey(s);
      if (!k || k.hive !== key.hive) return true;
      const hit = valueName !== undefined ? samePath(k.path, key.path) && sameText(s.valueName, valueName) : samePath(k.path, key.path) || below(k.path, key.path);
      if (hit) record(settingMutation(domain, gpo, k, s.valueName));
      return !hit;
    });
    if (gpo.registryValues.length !== before) touch(gpo, key.hive === 'LocalMachine' ? 'computer' : 'user', lab.now());
  });
  return [object];
};
