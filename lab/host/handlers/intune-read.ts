import { z } from 'zod';
import { bindParameters } from '../bind';
import type { StepHandler } from '../handler';
import { graphConnectionParameters, isEnabledValue, notApplicableToTenant, omaSettingState, PASSPORT_FOR_WORK, signIn } from './intune-graph';

const connection = z.object(graphConnectionParameters);

/** INTUNE_A, the Intune plan a licensed lab tenant carries. */
const INTUNE_PLAN_ID = 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5';

/** Mirrors powershell/intune/Get-IntuneTenant.ps1. */
export const intuneTenant: StepHandler = async (args, context) => {
  const p = bindParameters('intune.tenant', connection, args);
  const tenant = signIn(await context.estate(), p.TenantId);
  const plans = tenant.intuneLicensed ? [{ servicePlanId: INTUNE_PLAN_ID, capabilityStatus: 'Enabled' }] : [];
  return {
    changed: false,
    result: {
      tenantId: tenant.id.toLowerCase(),
      displayName: tenant.displayName,
      verifiedDomains: tenant.verifiedDomains,
      intune: { usable: tenant.intuneLicensed, plans },
    },
    warnings: tenant.intuneLicensed
      ? []
      : ['No active Intune service plan is assigned to this tenant: Intune device configuration profiles cannot be created (use the GPO channel or license Intune).'],
  };
};

/** Mirrors powershell/intune/Get-IntunePassportProfile.ps1. */
export const intuneScanPassport: StepHandler = async (args, context) => {
  const p = bindParameters('intune.scan-passport', connection, args);
  const tenant = signIn(await context.estate(), p.TenantId);
  if (!tenant.intuneLicensed) {
    const answer = notApplicableToTenant('GetMgDeviceManagementDeviceConfiguration_List');
    return {
      changed: false,
      result: { intuneUsable: false, profiles: [], conflicts: [], assignedGroupIds: [], assignedToAll: false },
      warnings: [`Intune is not usable in this tenant (no active Intune licence): ${answer.message}`],
    };
  }

  const profiles = [];
  const conflicts = [];
  const groupIds: string[] = [];
  for (const configuration of tenant.deviceConfigurations) {
    const settings = configuration.omaSettings.map(omaSettingState).filter((s) => PASSPORT_FOR_WORK.test(s.omaUri));
    if (settings.length === 0) continue;
    const cloudTrust = settings.filter((s) => /\/Policies\/UseCloudTrustForOnPremAuth$/i.test(s.omaUri) && isEnabledValue(s));
    const certificateTrust = settings.filter((s) => /\/Policies\/UseCertificateForOnPremAuth$/i.test(s.omaUri) && isEnabledValue(s));
    for (const setting of certificateTrust) {
      conflicts.push({
        profileId: configuration.id,
        displayName: configuration.displayName,
        omaUri: setting.omaUri,
        reason: 'UseCertificateForOnPremAuth is enabled: certificate trust takes precedence over cloud Kerberos trust',
      });
    }
    for (const { groupId } of configuration.assignments) {
      if (!groupIds.some((id) => id.toLowerCase() === groupId.toLowerCase())) groupIds.push(groupId);
    }
    profiles.push({
      id: configuration.id,
      displayName: configuration.displayName,
      odataType: configuration.odataType,
      settings,
      usesCloudTrust: cloudTrust.length > 0,
      certificateTrustEnabled: certificateTrust.length > 0,
      assignments: configuration.assignments.map((a) => ({ targetType: 'group', groupId: a.groupId })),
    });
  }
  return { changed: false, result: { intuneUsable: true, profiles, conflicts, assignedGroupIds: groupIds, assignedToAll: false } };
};
