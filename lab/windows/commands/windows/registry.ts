import type { LabComputer } from './computers';
import { currentVersionValues, type RegistryValue } from './os-version';

/**
 * The part of a simulated computer's HKEY_LOCAL_MACHINE the lab knows. A key is present (with its values, or
 * with values the lab does not model), known to be absent, or unknown: asking about an unknown key is a lab
 * defect, never a made-up answer.
 */
export type KeyState = { state: 'present'; values: RegistryValue[] | null } | { state: 'absent' } | { state: 'unknown' };

export const CURRENT_VERSION = 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
/** "Network security: Configure encryption types allowed for Kerberos" (catalog registry keys). */
export const KERBEROS_POLICY = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos\\Parameters';
/** Keys every Windows installation has (their values are not modelled). */
const ALWAYS = ['SOFTWARE', 'SOFTWARE\\Microsoft', 'SOFTWARE\\Microsoft\\Windows NT', 'SOFTWARE\\Microsoft\\Windows', 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion', 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies', 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System', 'SOFTWARE\\Policies', 'SOFTWARE\\Policies\\Microsoft'];

const key = (path: string) => path.toLowerCase();

function knownKeys(computer: LabComputer): Map<string, RegistryValue[] | null | 'absent'> {
  const keys = new Map<string, RegistryValue[] | null | 'absent'>();
  for (const path of ALWAYS) keys.set(key(path), null);
  keys.set(key(CURRENT_VERSION), currentVersionValues(computer));
  if (computer.kind === 'controller') {
    const types = computer.controller.supportedEncryptionTypes;
    if (types === null) keys.set(key(KERBEROS_POLICY), 'absent');
    else {
      keys.set(key(KERBEROS_POLICY.slice(0, KERBEROS_POLICY.lastIndexOf('\\'))), null);
      // REG_DWORD reads as a signed Int32 (catalog registry.valueKinds).
      keys.set(key(KERBEROS_POLICY), [{ name: 'SupportedEncryptionTypes', kind: 'REG_DWORD', value: types > 0x7fffffff ? types - 0x100000000 : types }]);
    }
  }
  return keys;
}

/** The state of HKLM\<subKey> (subKey without the hive, separators normalised) on the computer. */
export function registryKey(computer: LabComputer, subKey: string): KeyState {
  const keys = knownKeys(computer);
  const found = keys.get(key(subKey));
  if (found === 'absent') return { state: 'absent' };
  if (found !== undefined) return { state: 'present', values: found };
  const cut = subKey.lastIndexOf('\\');
  const parent = cut > 0 ? keys.get(key(subKey.slice(0, cut))) : undefined;
  // A path one level below a modelled key that names one of its values is not a key (a value is not a path).
  if (Array.isArray(parent) && parent.some((v) => v.name.toLowerCase() === subKey.slice(cut + 1).toLowerCase())) return { state: 'absent' };
  // Nothing exists below a key that does not exist.
  for (let end = subKey.lastIndexOf('\\'); end > 0; end = subKey.lastIndexOf('\\', end - 1)) {
    if (keys.get(key(subKey.slice(0, end))) === 'absent') return { state: 'absent' };
  }
  return { state: 'unknown' };
}

export interface RegistryPath {
  /** The key below HKEY_LOCAL_MACHINE, as typed (casing kept), with single backslashes and no outer ones. */
  subKey: string;
  /** HKLM when the path went through the drive; null for a provider-qualified path (Registry::...). */
  drive: 'HKLM' | null;
}

const DRIVE = /^HKLM:(.*)$/i;
const PROVIDER = /^(?:Microsoft\.PowerShell\.Core\\)?Registry::(?:HKEY_LOCAL_MACHINE|HKLM)(?=\\|\/|$)(.*)$/i;

/** An HKLM path in any of the forms the registry provider accepts; null for anything else. */
export function parseRegistryPath(text: string): RegistryPath | null {
  const drive = DRIVE.exec(text);
  const provider = drive ? null : PROVIDER.exec(text);
  const rest = drive?.[1] ?? provider?.[1];
  if (rest === undefined) return null;
  const subKey = rest.replace(/\//g, '\\').replace(/\\{2,}/g, '\\').replace(/^\\|\\$/g, '');
  return { subKey, drive: drive ? 'HKLM' : null };
}
