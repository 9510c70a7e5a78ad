import { z } from 'zod';
import { recordMutation } from '../../estate/store';
import { bindParameters } from '../bind';
import type { StepHandler } from '../handler';
import {
  assignmentState,
  DISPLAY_NAME,
  graphConnectionParameters,
  guidParameter,
  intuneNotLicensed,
  type LabDeviceConfiguration,
  type LabTenant,
  profilesNamed,
  sameText,
  scriptError,
  signIn,
} from './intune-graph';

const ASSIGN_SCRIPT = 'Set-IntuneProfileAssignment.ps1';
const ROLLBACK_SCRIPT = 'Remove-IntuneCloudTrustPolicy.ps1';

const profileName = z.string().min(1).max(200).regex(DISPLAY_NAME);

function profilesOf(tenant: LabTenant, displayName: string, script: string): LabDeviceConfiguration[] {
  if (!tenant.intuneLicensed) throw intuneNotLicensed(script, null);
  return profilesNamed(tenant, displayName);
}

function ambiguous(script: string, count: number, displayName: string, purpose: string) {
  return scriptError(script, 'AmbiguousProfileName', 'InvalidData', `${count} device configurations are named '${displayName}': the step cannot tell which one to ${purpose}`, displayName);
}

const assignmentKey = (tenant: LabTenant, profile: string, groupId: string) => `assignment:${tenant.id}:${profile}:${groupId.toLowerCase()}`;

// ---------------------------------------------------------------- intune.ensure-assignment

const assignParameters = z.object({ ...graphConnectionParameters, ProfileDisplayName: profileName, GroupId: guidParameter, PlanOnly: z.boolean().default(false) });

/** Mirrors powershell/intune/Set-IntuneProfileAssignment.ps1: /assign replaces the set, so the others are posted back. */
export const intuneEnsureAssignment: StepHandler = async (args, context) => {
  const p = bindParameters('intune.ensure-assignment', assignParameters, args);
  const tenant = signIn(await context.estate(), p.TenantId);
  const found = profilesOf(tenant, p.ProfileDisplayName, ASSIGN_SCRIPT);
  if (found.length === 0) {
    throw scriptError(ASSIGN_SCRIPT, 'ProfileNotFound', 'ObjectNotFound', `no device configuration named '${p.ProfileDisplayName}': ensure the profile before assigning it`, p.ProfileDisplayName);
  }
  if (found.length > 1) throw ambiguous(ASSIGN_SCRIPT, found.length, p.ProfileDisplayName, 'assign');
  const group = tenant.groups.find((g) => sameText(g.id, p.GroupId));
  if (!group) throw scriptError(ASSIGN_SCRIPT, 'GroupNotFound', 'ObjectNotFound', `group ${p.GroupId} does not exist in the tenant`, p.GroupId);

  const configuration = found[0];
  const before = assignmentState(configuration, p.GroupId);
  const changes = before.groupAssigned
    ? []
    : [`assign profile '${p.ProfileDisplayName}' to group ${p.GroupId} (${group.displayName}), keeping its ${configuration.assignments.length} other assignment(s)`];

  let after = before;
  if (changes.length > 0 && !p.PlanOnly) {
    after = await context.update((estate) => {
      const fresh = estate.tenant.deviceConfigurations.find((c) => c.id === configuration.id);
      if (!fresh) throw scriptError(ASSIGN_SCRIPT, 'ProfileNotFound', 'ObjectNotFound', `no device configuration named '${p.ProfileDisplayName}'`, p.ProfileDisplayName);
      if (!fresh.assignments.some((a) => sameText(a.groupId, p.GroupId))) {
        fresh.assignments = [...fresh.assignments, { groupId: p.GroupId }];
        recordMutation(estate, assignmentKey(estate.tenant, p.ProfileDisplayName, p.GroupId));
      }
      return assignmentState(fresh, p.GroupId);
    });
  }
  return { changed: changes.length > 0, result: { planOnly: p.PlanOnly, changes, before, after } };
};

// ---------------------------------------------------------------- intune.rollback

const rollbackParameters = z.object({
  ...graphConnectionParameters,
  ProfileDisplayName: profileName,
  GroupId: guidParameter.optional(),
  DeleteProfile: z.boolean().default(false),
  PlanOnly: z.boolean().default(false),
});

/** Mirrors powershell/intune/Remove-IntuneCloudTrustPolicy.ps1. */
export const intuneRollback: StepHandler = async (args, context) => {
  const p = bindParameters('intune.rollback', rollbackParameters, args);
  if (!p.DeleteProfile && p.GroupId === undefined) {
    throw scriptError(ROLLBACK_SCRIPT, 'GroupIdRequired', 'InvalidArgument', 'GroupId is required unless -DeleteProfile is given');
  }
  const tenant = signIn(await context.estate(), p.TenantId);
  const found = profilesOf(tenant, p.ProfileDisplayName, ROLLBACK_SCRIPT);
  if (found.length > 1) throw ambiguous(ROLLBACK_SCRIPT, found.length, p.ProfileDisplayName, 'roll back');

  const configuration = found[0];
  const before = configuration ? assignmentState(configuration, p.GroupId) : null;
  const changes: string[] = [];
  if (configuration && before && p.DeleteProfile) {
    changes.push(`delete profile '${p.ProfileDisplayName}' (${configuration.id}) with its ${configuration.assignments.length} assignment(s)`);
  } else if (configuration && before?.groupAssigned) {
    changes.push(`remove the assignment of group ${p.GroupId} from profile '${p.ProfileDisplayName}', keeping its ${configuration.assignments.length - 1} other assignment(s)`);
  }

  let after = before;
  if (changes.length > 0 && !p.PlanOnly) {
    after = await context.update((estate) => {
      const index = estate.tenant.deviceConfigurations.findIndex((c) => c.id === configuration.id);
      if (index === -1) return null;
      if (p.DeleteProfile) {
        estate.tenant.deviceConfigurations.splice(index, 1);
        recordMutation(estate, `profile:${estate.tenant.id}:${p.ProfileDisplayName}`);
        return null;
      }
      const fresh = estate.tenant.deviceConfigurations[index];
      const kept = fresh.assignments.filter((a) => !sameText(a.groupId, p.GroupId!));
      if (kept.length !== fresh.assignments.length) {
        fresh.assignments = kept;
        recordMutation(estate, assignmentKey(estate.tenant, p.ProfileDisplayName, p.GroupId!));
      }
      return assignmentState(fresh, p.GroupId);
    });
  }
  return { changed: changes.length > 0, result: { planOnly: p.PlanOnly, changes, before, after } };
};
