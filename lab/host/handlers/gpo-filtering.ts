import { z } from 'zod';
import type { LabDomain, LabGpo } from '../../estate/schema';
import { recordMutation } from '../../estate/store';
import { bindParameters } from '../bind';
import { findDomain } from '../estate-lookup';
import type { StepHandler } from '../handler';
import { adIdentityNotFound, findGpo, gpoNotFound, labParameter, sameName } from './gpo-estate';
import { settle } from './gpo-set-step';

const AUTHENTICATED_USERS = 'Authenticated Users';

const parameters = z.object({
  Domain: labParameter.domain,
  GpoName: labParameter.gpoName,
  GroupName: labParameter.groupName,
  PlanOnly: labParameter.planOnly,
});
type Parameters = z.infer<typeof parameters>;

const filteringState = (gpo: LabGpo | undefined) =>
  gpo ? { id: gpo.id, permissions: gpo.permissions.map((e) => ({ trustee: e.trustee, trusteeType: e.trusteeType, permission: e.permission })) } : null;

/** Set-GPPermission -TargetType Group -Replace: the trustee ends up with exactly this level. */
function grant(gpo: LabGpo, trustee: string, permission: 'GpoApply' | 'GpoRead'): void {
  gpo.permissions = gpo.permissions.filter((e) => !sameName(e.trustee, trustee));
  gpo.permissions.push({ trustee, trusteeType: 'Group', permission });
}

function evaluateFiltering(domain: LabDomain, p: Parameters, onGranted: (gpo: LabGpo, trustee: string) => void) {
  const group = domain.groups.find((g) => sameName(g.name, p.GroupName));
  if (!group) throw adIdentityNotFound(domain, p.GroupName, 'GetADGroup');
  const warnings: string[] = [];
  if (group.members.length === 0) warnings.push(`group ${group.name} has no members: the policy applies to no computer until computer accounts are added`);
  const gpo = findGpo(domain, p.GpoName);
  if (!gpo && !p.PlanOnly) throw gpoNotFound(domain, p.GpoName);
  const entries = gpo?.permissions ?? [];
  const changes: string[] = [];

  const groupEntry = entries.find((e) => sameName(e.trustee, group.name));
  const groupNeedsApply = groupEntry?.permission !== 'GpoApply';
  if (groupNeedsApply) changes.push(`grant ${group.name} GpoApply on GPO '${p.GpoName}' (was ${groupEntry?.permission ?? 'none'})`);
  const readersEntry = entries.find((e) => sameName(e.trustee, AUTHENTICATED_USERS));
  const readersNeedRead = readersEntry?.permission !== 'GpoRead';
  if (readersNeedRead) {
    const was = !gpo ? 'GpoApply, the default of a new GPO' : (readersEntry?.permission ?? 'none');
    changes.push(`set ${AUTHENTICATED_USERS} to GpoRead on GPO '${p.GpoName}' (was ${was}): read only, so the policy applies to ${group.name} alone`);
  }
  for (const entry of entries) {
    if (entry.permission === 'GpoApply' && !sameName(entry.trustee, group.name) && !sameName(entry.trustee, AUTHENTICATED_USERS)) {
      warnings.push(`${entry.trustee} also holds GpoApply on GPO '${p.GpoName}': the policy applies to it as well; left as it is`);
    }
  }
  return {
    before: filteringState(gpo),
    changes,
    warnings,
    apply() {
      if (!gpo) throw gpoNotFound(domain, p.GpoName);
      // The group first: the policy never applies to nobody in between.
      if (groupNeedsApply) {
        grant(gpo, group.name, 'GpoApply');
        onGranted(gpo, group.name);
      }
      if (readersNeedRead) {
        grant(gpo, AUTHENTICATED_USERS, 'GpoRead');
        onGranted(gpo, AUTHENTICATED_USERS);
      }
      return filteringState(gpo);
    },
  };
}

/** Mirrors powershell/gpo/Set-GpoPassportFiltering.ps1. */
export const ensureFiltering: StepHandler = async (args, context) => {
  const p = bindParameters('gpo.ensure-filtering', parameters, args);
  return settle(context, p.PlanOnly, (estate) => {
    const { domain } = findDomain(estate, p.Domain);
    return evaluateFiltering(domain, p, (gpo, trustee) => recordMutation(estate, `gpoperm:${domain.dnsName}:${gpo.displayName}:${trustee}`));
  });
};
