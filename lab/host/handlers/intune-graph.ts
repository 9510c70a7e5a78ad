import { z } from 'zod';
import type { LabEstate } from '../../estate/schema';
import { LabError } from '../handler';
import { DNS_NAME_PATTERN } from '../../../model/names';

/**
 * What the intune lab behaviours share: the app-only Graph sign-in every script performs, Graph's error shapes
 * (Microsoft Graph PowerShell SDK v2: message, then Status/ErrorCode; FullyQualifiedErrorId
 * "<code>,Microsoft.Graph.PowerShell.Cmdlets.<Cmdlet>_<Variant>"), and the errors the scripts raise themselves.
 */

export type LabTenant = LabEstate['tenant'];
export type LabDeviceConfiguration = LabTenant['deviceConfigurations'][number];
export type LabOmaSetting = LabDeviceConfiguration['omaSettings'][number];

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** ValidatePattern of the display-name parameters: no control characters, something visible. */
export const DISPLAY_NAME = /^[^\x00-\x1F\x7F]*\S[^\x00-\x1F\x7F]*$/;

export const guidParameter = z.string().regex(GUID, 'does not match the GUID pattern');

/** The param() block every Graph script starts with. */
export const graphConnectionParameters = {
  TenantId: z.string().refine((v) => GUID.test(v) || DNS_NAME_PATTERN.test(v), 'does not match the tenant pattern'),
  ClientId: guidParameter,
  CertificateThumbprint: z.string().regex(/^[0-9A-Fa-f]{40}$/, 'does not match the thumbprint pattern'),
};

/** Connect-MgGraph -TenantId: the tenant GUID or one of its verified domains, else Entra's AADSTS90002. */
export function signIn(estate: LabEstate, tenantId: string): LabTenant {
  const tenant = estate.tenant;
  const wanted = tenantId.toLowerCase();
  if (tenant.id.toLowerCase() === wanted || tenant.verifiedDomains.some((d) => d.toLowerCase() === wanted)) return tenant;
  throw new LabError(
    `ClientCertificateCredential authentication failed: AADSTS90002: Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    'AuthenticationError',
    'Microsoft.Graph.PowerShell.Authentication.Cmdlets.ConnectMgGraph',
    tenantId,
  );
}

export function graphError(message: string, status: number, reason: string, code: string, cmdlet: string, category = 'InvalidOperation'): LabError {
  return new LabError(`${message}\n\nStatus: ${status} (${reason})\nErrorCode: ${code}`, category, `${code},Microsoft.Graph.PowerShell.Cmdlets.${cmdlet}`);
}

/** Intune's answer to every request of a tenant without an active Intune licence. */
export function notApplicableToTenant(cmdlet: string): LabError {
  return graphError('Request not applicable to target tenant.', 400, 'BadRequest', 'BadRequest', cmdlet);
}

/** What the Set scripts turn that answer into (Stop-IfIntuneUnlicensed): retrying cannot help. */
export function intuneNotLicensed(script: string, tenantId: string | null): LabError {
  const where = tenantId ? `tenant ${tenantId}` : 'this tenant';
  const advice = tenantId
    ? 'The tenant needs an active Intune licence before device configuration profiles can be created.'
    : 'The tenant needs an active Intune licence.';
  return new LabError(
    `Intune is not usable in ${where}: Microsoft Graph answered 'Request not applicable to target tenant.' (400 BadRequest). ${advice}`,
    'NotEnabled',
    `IntuneNotLicensed,${script}`,
    tenantId,
  );
}

/** Write-Error -Category … -ErrorId … in a script. */
export function scriptError(script: string, errorId: string, category: string, message: string, target: string | null = null): LabError {
  return new LabError(message, category, `${errorId},${script}`, target);
}

export const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Device configurations by display name, compared like PowerShell's -eq (case-insensitive). */
export function profilesNamed(tenant: LabTenant, displayName: string): LabDeviceConfiguration[] {
  return tenant.deviceConfigurations.filter((c) => sameText(c.displayName, displayName));
}

// ---------------------------------------------------------------- OMA settings as the scripts report them

export interface OmaSettingState {
  displayName: string;
  omaUri: string;
  valueType: 'boolean' | 'integer' | 'string' | 'other';
  value: boolean | number | string | null;
}

export function omaSettingState(setting: LabOmaSetting): OmaSettingState {
  const value = setting.valueType === 'boolean' ? Boolean(setting.value) : setting.valueType === 'integer' ? Number(setting.value) : String(setting.value);
  return { displayName: setting.displayName, omaUri: setting.omaUri, valueType: setting.valueType, value };
}

export function settingValueText(setting: OmaSettingState): string {
  return setting.valueType === 'boolean' ? String(setting.value).toLowerCase() : String(setting.value);
}

export function settingKey(setting: OmaSettingState): string {
  return `${setting.omaUri}|${setting.valueType}|${settingValueText(setting)}`;
}

/** UseCertificateForOnPremAuth is a boolean node, but admins sometimes type it as integer or string. */
export function isEnabledValue(setting: OmaSettingState): boolean {
  const text = String(setting.value).toLowerCase();
  return text === 'true' || text === '1';
}

export const PASSPORT_FOR_WORK = /^\.\/(Device|User)\/Vendor\/MSFT\/PassportForWork\//i;

// ---------------------------------------------------------------- assignments as the scripts report them

export interface AssignmentState {
  profileId: string;
  profileDisplayName: string;
  assignments: Array<{ targetType: 'group'; groupId: string }>;
  groupAssigned: boolean;
}

export function assignmentState(configuration: LabDeviceConfiguration, groupId: string | undefined): AssignmentState {
  return {
    profileId: configuration.id,
    profileDisplayName: configuration.displayName,
    assignments: configuration.assignments.map((a) => ({ targetType: 'group' as const, groupId: a.groupId })),
    groupAssigned: groupId !== undefined && configuration.assignments.some((a) => sameText(a.groupId, groupId)),
  };
}
