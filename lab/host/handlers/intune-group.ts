import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordMutation } from '../../estate/store';
import { bindParameters } from '../bind';
import type { StepHandler } from '../handler';
import { DISPLAY_NAME, graphConnectionParameters, type LabTenant, sameText, scriptError, signIn } from './intune-graph';

const SCRIPT = 'Set-IntuneTargetGroup.ps1';

const parameters = z.object({
  ...graphConnectionParameters,
  DisplayName: z.string().min(1).max(256).regex(DISPLAY_NAME),
  PlanOnly: z.boolean().default(false),
});

/**
 * mailNickname rules (reference §4.2): ASCII, at most 64 characters, none of @ ( ) \ [ ] " ; : . < > , space.
 * Runs of anything but letters, digits, '-' and '_' become one '-'.
 */
export function mailNicknameFor(displayName: string): string {
  let nickname = displayName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  if (nickname.length > 64) nickname = nickname.slice(0, 64).replace(/-+$/, '');
  return nickname.length === 0 ? 'group' : nickname;
}

type LabEntraGroup = LabTenant['groups'][number];

function groupState(group: LabEntraGroup) {
  return { id: group.id, displayName: group.displayName, mailNickname: group.mailNickname, mailEnabled: false, securityEnabled: group.securityEnabled };
}

/** Get-MgGroup -Filter "displayName eq '…'": Entra compares display names case-insensitively. */
function findGroup(tenant: LabTenant, displayName: string): LabEntraGroup | null {
  const found = tenant.groups.filter((g) => sameText(g.displayName, displayName));
  if (found.length > 1) {
    throw scriptError(
      SCRIPT,
      'AmbiguousGroupName',
      'InvalidData',
      `${found.length} groups are named '${displayName}' (ids ${found.map((g) => g.id).join(', ')}): the step cannot tell which one to use; rename or remove the extra groups, or choose another name`,
      displayName,
    );
  }
  return found[0] ?? null;
}

/** Mirrors powershell/intune/Set-IntuneTargetGroup.ps1. */
export const intuneEnsureGroup: StepHandler = async (args, context) => {
  const p = bindParameters('intune.ensure-group', parameters, args);
  const tenant = signIn(await context.estate(), p.TenantId);
  const existing = findGroup(tenant, p.DisplayName);
  const before = existing ? groupState(existing) : null;
  const nickname = mailNicknameFor(p.DisplayName);
  const changes = before ? [] : [`create security group '${p.DisplayName}' (mailNickname ${nickname})`];
  const warnings = before && !before.securityEnabled ? [`group '${p.DisplayName}' (${before.id}) is not security-enabled; it is used as it is`] : [];

  let after = before;
  if (changes.length > 0 && !p.PlanOnly) {
    after = await context.update((estate) => {
      const fresh = findGroup(estate.tenant, p.DisplayName);
      if (fresh) return groupState(fresh);
      const group = { id: randomUUID(), displayName: p.DisplayName, mailNickname: nickname, securityEnabled: true, members: [] };
      estate.tenant.groups.push(group);
      recordMutation(estate, `group:${estate.tenant.id}:${p.DisplayName}`);
      return groupState(group);
    });
  }
  return { changed: changes.length > 0, result: { planOnly: p.PlanOnly, changes, before, after }, warnings };
};
