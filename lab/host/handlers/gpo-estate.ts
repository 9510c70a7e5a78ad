import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { dnsNameSchema } from '../../../model/names';
import { GPO_NAME_PATTERN, GROUP_NAME_PATTERN, LINK_TARGET_PATTERN } from '../../../activities/steps/gpo';
import type { LabDomain, LabGpo } from '../../estate/schema';
import { LabError } from '../handler';

/** What the gpo scripts' param() blocks accept (ValidatePattern matches case-insensitively). */
export const labParameter = {
  domain: dnsNameSchema,
  gpoName: z.string().regex(new RegExp(GPO_NAME_PATTERN, 'i')),
  targets: z.array(z.string().min(1).max(2048).regex(new RegExp(LINK_TARGET_PATTERN, 'i'))).min(1).max(500),
  groupName: z.string().regex(new RegExp(GROUP_NAME_PATTERN, 'i')),
  planOnly: z.boolean().default(false),
};

export const POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\PassportForWork';
export const PIN_KEY = `${POLICY_KEY}\\PINComplexity`;
export const USER_POLICY_KEY = 'HKCU\\SOFTWARE\\Policies\\Microsoft\\PassportForWork';

export interface PassportValue {
  scope: 'Computer' | 'User';
  key: string;
  valueName: string;
  type: string;
  value: number | string | null;
  policyState: string;
}

/** Names (GPOs, value names, trustees) compare case-insensitively, as PowerShell's -eq does. */
export const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A registry key as Set-GPRegistryValue takes it, whichever spelling of the hive the estate uses. */
export function normalizeKey(key: string): string {
  return key.replace(/^HKEY_LOCAL_MACHINE\\/i, 'HKLM\\').replace(/^HKEY_CURRENT_USER\\/i, 'HKCU\\');
}

export function sameKey(a: string, b: string): boolean {
  return sameName(normalizeKey(a), normalizeKey(b));
}

function under(key: string, root: string): boolean {
  const k = normalizeKey(key).toLowerCase();
  const r = root.toLowerCase();
  return k === r || k.startsWith(`${r}\\`);
}

/** What Get-GPRegistryValue finds under PassportForWork (subkeys included) in both scopes; nothing when unset. */
export function passportValues(gpo: LabGpo): PassportValue[] {
  return gpo.registryValues
    .filter((v) => under(v.key, POLICY_KEY) || under(v.key, USER_POLICY_KEY))
    .map((v) => {
      const key = normalizeKey(v.key);
      return { scope: key.toUpperCase().startsWith('HKCU') ? 'User' : 'Computer', key, valueName: v.valueName, type: v.type, value: v.value, policyState: 'Set' };
    });
}

export function formatValue(value: PassportValue | undefined): string {
  return value ? `${value.value} (${value.type})` : 'not set';
}

/** The GPO whose display name this is, or undefined; two GPOs with the name are refused as the scripts do. */
export function findGpo(domain: LabDomain, gpoName: string): LabGpo | undefined {
  const found = domain.gpos.filter((g) => sameName(g.displayName, gpoName));
  if (found.length > 1) {
    throw new LabError(
      `${found.length} GPOs in ${domain.dnsName} have the display name '${gpoName}' (${found.map((g) => g.id).join(', ')}): rename or remove the duplicates so the name identifies one GPO`,
      'InvalidData',
      'AmbiguousGpoName',
      gpoName,
    );
  }
  return found[0];
}

export function gpoNotFound(domain: LabDomain, gpoName: string): LabError {
  return new LabError(`GPO '${gpoName}' was not found in ${domain.dnsName}: ensure the policy (gpo.ensure-policy) first`, 'ObjectNotFound', 'GpoNotFound', gpoName);
}

/** The ActiveDirectory module's error for an identity it cannot find (Get-ADObject, Get-ADGroup). */
export function adIdentityNotFound(domain: LabDomain, identity: string, cmdlet: 'GetADObject' | 'GetADGroup'): LabError {
  return new LabError(
    `Cannot find an object with identity: '${identity}' under: '${domain.distinguishedName}'.`,
    'ObjectNotFound',
    `ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.${cmdlet}`,
    identity,
  );
}

/** DNs compare case-insensitively and without the spaces some tools put after commas. */
export function sameDn(a: string, b: string): boolean {
  return sameName(a.replace(/,\s+/g, ','), b.replace(/,\s+/g, ','));
}

/** The domain or OU object with this DN, as the directory stores it, or undefined. */
export function findLinkTarget(domain: LabDomain, dn: string): string | undefined {
  if (sameDn(domain.distinguishedName, dn)) return domain.distinguishedName;
  return domain.ous.find((ou) => sameDn(ou.distinguishedName, dn))?.distinguishedName;
}

/** Whether the DN's DC= components are the domain's (a suffix match would take a child domain's OUs). */
export function inDomain(domain: LabDomain, dn: string): boolean {
  const dcPart = dn.replace(/,\s+/g, ',').replace(/^(OU=([^,\\]|\\.)+,)*/i, '');
  return sameDn(dcPart, domain.distinguishedName);
}

export function linkTargetOutsideDomain(domain: LabDomain, target: string): LabError {
  return new LabError(`link target ${target} is not in the domain ${domain.dnsName} (${domain.distinguishedName})`, 'InvalidArgument', 'LinkTargetOutsideDomain', target);
}

export function gpoLinks(gpo: LabGpo) {
  return gpo.links.map((l) => ({ target: l.target, enabled: l.enabled, enforced: l.enforced }));
}

/** New-GPO: an empty GPO with the default permissions of a new GPO (Authenticated Users read and apply it). */
export function newGpo(domain: LabDomain, displayName: string): LabGpo {
  const gpo: LabGpo = {
    id: randomUUID(),
    displayName,
    status: 'AllSettingsEnabled',
    registryValues: [],
    links: [],
    permissions: [
      { trustee: 'Authenticated Users', trusteeType: 'Group', permission: 'GpoApply' },
      { trustee: 'Domain Admins', trusteeType: 'Group', permission: 'GpoEditDeleteModifySecurity' },
      { trustee: 'Enterprise Admins', trusteeType: 'Group', permission: 'GpoEditDeleteModifySecurity' },
      { trustee: 'ENTERPRISE DOMAIN CONTROLLERS', trusteeType: 'Group', permission: 'GpoRead' },
      { trustee: 'SYSTEM', trusteeType: 'User', permission: 'GpoEditDeleteModifySecurity' },
    ],
  };
  domain.gpos.push(gpo);
  return gpo;
}

/** Set-GPRegistryValue -Type DWord: replaces the setting for this key and value name, or adds it. */
export function setDword(gpo: LabGpo, key: string, valueName: string, value: number): void {
  const existing = gpo.registryValues.find((v) => sameKey(v.key, key) && sameName(v.valueName, valueName));
  if (existing) Object.assign(existing, { type: 'DWord', value });
  else gpo.registryValues.push({ key, valueName, type: 'DWord', value });
}

/** Remove-GPRegistryValue -ValueName: removes the setting from the GPO (clients keep what they have). */
export function removeValue(gpo: LabGpo, key: string, valueName: string): void {
  gpo.registryValues = gpo.registryValues.filter((v) => !(sameKey(v.key, key) && sameName(v.valueName, valueName)));
}
