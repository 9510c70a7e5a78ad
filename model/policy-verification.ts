/**
 * What the read-back of a domain's policy shows wrong, per channel: a GPO scan, an Intune custom-profile scan, a
 * settings-catalog policy read. Each returns the problems in words, none when the policy is in place.
 * Pure: used inside workflows.
 */
import { catalogSetting } from './intune-delivery';

export interface GpoVerificationScan {
  gpos: Array<{
    displayName: string;
    values: Array<{ scope: string; valueName: string; value: number | string | null; policyState: string }>;
    links: Array<{ target: string; enabled: boolean }>;
  }>;
  certificateTrustGpos: Array<{ displayName: string }>;
}

interface Assignment {
  targetType: string;
  groupId: string | null;
}

export interface ProfileVerificationScan {
  profiles: Array<{ displayName: string; usesCloudTrust: boolean; usePassportForWork: boolean | null; assignments: Assignment[] }>;
  conflicts: Array<{ displayName: string; reason: string }>;
}

export interface CatalogVerificationRead {
  policy: { settings: Array<{ settingDefinitionId: string; value: string | null }> } | null;
  assignments: Assignment[];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The GPO: present with Enabled and UseCloudTrustForOnPremAuth at 1, linked and enabled at every target; no GPO sets certificate trust. */
export function gpoPolicyProblems(gpo: { name: string; targets: string[] }, scan: GpoVerificationScan): string[] {
  const problems: string[] = [];
  const ours = scan.gpos.find((g) => same(g.displayName, gpo.name));
  const value = (name: string) => ours?.values.find((v) => v.scope === 'Computer' && v.valueName === name && v.policyState === 'Set')?.value;
  if (!ours) problems.push(`GPO ${gpo.name} carries no PassportForWork settings`);
  else {
    if (Number(value('Enabled')) !== 1) problems.push(`GPO ${gpo.name}: Enabled is not 1`);
    if (Number(value('UseCloudTrustForOnPremAuth')) !== 1) problems.push(`GPO ${gpo.name}: UseCloudTrustForOnPremAuth is not 1`);
    for (const targetDn of gpo.targets) {
      if (!ours.links.some((l) => same(l.target, targetDn) && l.enabled)) problems.push(`GPO ${gpo.name} is not linked (enabled) to ${targetDn}`);
    }
  }
  for (const conflict of scan.certificateTrustGpos) problems.push(`GPO ${conflict.displayName} sets UseCertificateForOnPremAuth: certificate trust takes precedence`);
  return problems;
}

/** The custom profile: present, setting cloud trust, not switching WHfB off, assigned to a group; no profile in conflict. */
export function intuneProfileProblems(profileName: string, scan: ProfileVerificationScan): string[] {
  const problems: string[] = [];
  const profile = scan.profiles.find((p) => same(p.displayName, profileName));
  if (!profile) problems.push(`profile ${profileName} not found`);
  else {
    if (!profile.usesCloudTrust) problems.push(`profile ${profileName} does not set UseCloudTrustForOnPremAuth`);
    if (profile.usePassportForWork === false) problems.push(`profile ${profileName} sets UsePassportForWork to false`);
    if (!profile.assignments.some((a) => a.targetType === 'group' && a.groupId)) problems.push(`profile ${profileName} is not assigned to a group`);
  }
  for (const conflict of scan.conflicts) problems.push(`profile ${conflict.displayName}: ${conflict.reason}`);
  return problems;
}

const CLOUD_TRUST = catalogSetting('usecloudtrustforonpremauth');
const USE_PASSPORT = catalogSetting('usepassportforwork');

/**
 * The settings-catalog policy as Graph returns it: missing, cloud trust not set, WHfB switched off, or not assigned
 * (to `groupId` when given, else to any group).
 */
export function catalogProblems(name: string, read: CatalogVerificationRead, groupId?: string): string[] {
  if (!read.policy) return [`settings-catalog policy ${name} not found`];
  const problems: string[] = [];
  const { settings } = read.policy;
  const value = (id: string) => settings.find((s) => s.settingDefinitionId === id)?.value;
  if (value(CLOUD_TRUST) !== `${CLOUD_TRUST}_true`) problems.push(`settings-catalog policy ${name} does not set Use Cloud Trust For On Prem Auth to true`);
  if (value(USE_PASSPORT) === `${USE_PASSPORT}_false`) problems.push(`settings-catalog policy ${name} sets Use Windows Hello For Business to false`);
  const groups = read.assignments.flatMap((a) => (a.targetType === 'group' && a.groupId ? [a.groupId] : []));
  if (groupId ? !groups.some((id) => same(id, groupId)) : groups.length === 0) {
    problems.push(`settings-catalog policy ${name} is not assigned to ${groupId ? `group ${groupId}` : 'a group'}`);
  }
  return problems;
}
