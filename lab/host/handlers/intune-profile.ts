import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordMutation } from '../../estate/store';
import { bindParameters } from '../bind';
import type { StepHandler } from '../handler';
import {
  DISPLAY_NAME,
  graphConnectionParameters,
  intuneNotLicensed,
  type LabDeviceConfiguration,
  type LabTenant,
  type OmaSettingState,
  omaSettingState,
  profilesNamed,
  scriptError,
  settingKey,
  settingValueText,
  signIn,
} from './intune-graph';

const SCRIPT = 'Set-IntuneCloudTrustProfile.ps1';
const CUSTOM_CONFIGURATION = '#microsoft.graph.windows10CustomConfiguration';

const usage = z.number().int().min(0).max(2);
const parameters = z.object({
  ...graphConnectionParameters,
  DisplayName: z.string().min(1).max(200).regex(DISPLAY_NAME),
  Description: z.string().max(1000).default(''),
  RequireSecurityDevice: z.boolean().default(false),
  PinMinimumLength: z.number().int().min(4).max(127).optional(),
  PinMaximumLength: z.number().int().min(4).max(127).optional(),
  PinDigits: usage.optional(),
  PinLowercaseLetters: usage.optional(),
  PinUppercaseLetters: usage.optional(),
  PinSpecialCharacters: usage.optional(),
  PinHistory: z.number().int().min(0).max(50).optional(),
  PinExpiration: z.number().int().min(0).max(730).optional(),
  PlanOnly: z.boolean().default(false),
});
type Parameters = z.infer<typeof parameters>;

/** Parameter -> PINComplexity node of the PassportForWork CSP, in the script's order. */
const PIN_NODES = [
  ['PinMinimumLength', 'MinimumPINLength'],
  ['PinMaximumLength', 'MaximumPINLength'],
  ['PinDigits', 'Digits'],
  ['PinLowercaseLetters', 'LowercaseLetters'],
  ['PinUppercaseLetters', 'UppercaseLetters'],
  ['PinSpecialCharacters', 'SpecialCharacters'],
  ['PinHistory', 'History'],
  ['PinExpiration', 'Expiration'],
] as const;

/** The settings the profile must hold: the CSP's {TenantId} is the tenant GUID without braces. */
export function desiredSettings(tenantId: string, p: Parameters): OmaSettingState[] {
  const policies = `./Device/Vendor/MSFT/PassportForWork/${tenantId.toLowerCase()}/Policies`;
  const settings: OmaSettingState[] = [
    { displayName: 'UseCloudTrustForOnPremAuth', omaUri: `${policies}/UseCloudTrustForOnPremAuth`, valueType: 'boolean', value: true },
  ];
  if (p.RequireSecurityDevice) {
    settings.push({ displayName: 'RequireSecurityDevice', omaUri: `${policies}/RequireSecurityDevice`, valueType: 'boolean', value: true });
  }
  for (const [parameter, node] of PIN_NODES) {
    const value = p[parameter];
    if (value === undefined) continue;
    settings.push({ displayName: `PINComplexity/${node}`, omaUri: `${policies}/PINComplexity/${node}`, valueType: 'integer', value });
  }
  return settings;
}

function profileState(configuration: LabDeviceConfiguration) {
  return {
    id: configuration.id,
    displayName: configuration.displayName,
    description: configuration.description,
    odataType: configuration.odataType,
    omaSettings: configuration.omaSettings.map(omaSettingState),
  };
}

function findProfile(tenant: LabTenant, displayName: string): LabDeviceConfiguration | null {
  if (!tenant.intuneLicensed) throw intuneNotLicensed(SCRIPT, tenant.id.toLowerCase());
  const found = profilesNamed(tenant, displayName);
  if (found.length > 1) {
    throw scriptError(
      SCRIPT,
      'AmbiguousProfileName',
      'InvalidData',
      `${found.length} device configurations are named '${displayName}' (ids ${found.map((c) => c.id).join(', ')}): the step cannot tell which one to manage`,
      displayName,
    );
  }
  const configuration = found[0] ?? null;
  if (configuration && configuration.odataType !== CUSTOM_CONFIGURATION) {
    throw scriptError(
      SCRIPT,
      'ProfileTypeMismatch',
      'InvalidData',
      `device configuration '${displayName}' (${configuration.id}) is a ${configuration.odataType}, not a custom OMA-URI profile (${CUSTOM_CONFIGURATION}); choose another name`,
      displayName,
    );
  }
  return configuration;
}

function plannedChanges(p: Parameters, before: ReturnType<typeof profileState> | null, desired: OmaSettingState[]): string[] {
  if (!before) {
    const listed = desired.map((s) => `${s.omaUri} = ${settingValueText(s)}`).join('; ');
    return [`create custom profile '${p.DisplayName}' with ${desired.length} OMA-URI setting(s): ${listed}`];
  }
  const changes: string[] = [];
  const currentKeys = before.omaSettings.map(settingKey);
  const desiredKeys = desired.map(settingKey);
  const desiredUris = desired.map((s) => s.omaUri);
  for (const setting of desired) {
    if (!currentKeys.includes(settingKey(setting))) changes.push(`set ${setting.omaUri} = ${settingValueText(setting)} (${setting.valueType})`);
  }
  for (const setting of before.omaSettings) {
    if (desiredKeys.includes(settingKey(setting)) || desiredUris.includes(setting.omaUri)) continue;
    changes.push(`remove ${setting.omaUri} (was ${settingValueText(setting)})`);
  }
  if (currentKeys.length !== desiredKeys.length && changes.length === 0) changes.push('remove duplicate OMA-URI settings');
  if (before.description !== p.Description) changes.push(`set the description of '${p.DisplayName}'`);
  return changes;
}

/** Mirrors powershell/intune/Set-IntuneCloudTrustProfile.ps1. */
export const intuneEnsureProfile: StepHandler = async (args, context) => {
  const p = bindParameters('intune.ensure-profile', parameters, args);
  if (p.PinMinimumLength !== undefined && p.PinMaximumLength !== undefined && p.PinMinimumLength > p.PinMaximumLength) {
    throw scriptError(SCRIPT, 'PinLengthRange', 'InvalidArgument', `PinMinimumLength ${p.PinMinimumLength} exceeds PinMaximumLength ${p.PinMaximumLength}`);
  }
  const tenant = signIn(await context.estate(), p.TenantId);
  const desired = desiredSettings(tenant.id, p);
  const existing = findProfile(tenant, p.DisplayName);
  const before = existing ? profileState(existing) : null;
  const changes = plannedChanges(p, before, desired);

  let after = before;
  if (changes.length > 0 && !p.PlanOnly) {
    after = await context.update((estate) => {
      const omaSettings = desired.map((s) => ({ displayName: s.displayName, omaUri: s.omaUri, valueType: s.valueType as 'boolean' | 'integer', value: s.value as boolean | number }));
      let configuration = findProfile(estate.tenant, p.DisplayName);
      if (configuration) {
        // PATCH replaces the whole omaSettings collection.
        configuration.omaSettings = omaSettings;
        configuration.description = p.Description;
      } else {
        configuration = { id: randomUUID(), displayName: p.DisplayName, description: p.Description, odataType: CUSTOM_CONFIGURATION, omaSettings, assignments: [] };
        estate.tenant.deviceConfigurations.push(configuration);
      }
      recordMutation(estate, `profile:${estate.tenant.id}:${p.DisplayName}`);
      return profileState(configuration);
    });
  }
  return { changed: changes.length > 0, result: { planOnly: p.PlanOnly, changes, before, after } };
};
