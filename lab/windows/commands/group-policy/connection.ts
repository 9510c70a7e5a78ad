import type { LabController, LabDomain, LabEstate, LabForest, LabGpo } from '../../../estate/schema';
import { findController, findDomain, homeDomain } from '../active-directory/connection';
import { buildDirectory, type Directory } from '../active-directory/directory';
import { failWith } from '../active-directory/errors';
import { sameText } from '../active-directory/names';
import { pdcOf } from '../active-directory/topology';
import type { CommandCall, CommandContext } from '../types';

/**
 * Where a GroupPolicy cmdlet works: -Domain (DomainName for Get/Set-GPPermission; "the fully qualified domain
 * name", default the domain of the user running the session) and -Server ("if you do not specify the Server, the
 * PDC emulator is contacted", docs of every GroupPolicy cmdlet). The cmdlets have no -Credential: they act as the
 * account the session runs as, whose AD groups are estate.managementHost.adGroups.
 */

export interface GpConnection {
  estate: LabEstate;
  forest: LabForest;
  domain: LabDomain;
  controller: LabController;
}

export function gpConnect(call: CommandCall, lab: CommandContext, estate: LabEstate): GpConnection {
  const named = call.get<string>('Domain') ?? call.get<string>('DomainName');
  const server = call.get<string>('Server')?.trim();
  let target: { forest: LabForest; domain: LabDomain } | undefined;
  if (named) {
    target = findDomain(estate, named);
    if (!target || !sameText(target.domain.dnsName, named)) failWith(call, lab, 'GPDomainUnreachable');
  } else if (server) {
    target = findController(estate, server) ?? homeDomain(estate);
  } else {
    target = homeDomain(estate);
  }
  if (!server) {
    const pdc = pdcOf(target.domain);
    if (!pdc.reachable) failWith(call, lab, 'GPDomainUnreachable');
    return { estate, ...target, controller: pdc };
  }
  const dc = findController(estate, server);
  if (!dc || !dc.controller.reachable || dc.domain !== target.domain) failWith(call, lab, 'GPServerNotOperational');
  return { estate, ...target, controller: dc.controller };
}

const ADMIN_GROUPS = ['Domain Admins', 'Enterprise Admins'];

/** The AD groups of the account the session runs as. */
export function sessionGroups(estate: LabEstate): string[] {
  return estate.managementHost.adGroups ?? ADMIN_GROUPS;
}

const RANK: Record<string, number> = { GpoRead: 1, GpoApply: 2, GpoCustom: 2, GpoEdit: 3, GpoEditDeleteModifySecurity: 4 };

/**
 * A change on the DC: an RODC holds a read-only copy of the directory and SYSVOL, and the session's account needs
 * the right (Domain Admins and Enterprise Admins hold every right on a domain's GPOs and links by default; another
 * group needs the GPO permission: GpoEdit to edit settings, GpoEditDeleteModifySecurity to change permissions).
 * Creating a GPO also admits Group Policy Creator Owners. Denials are the documented E_ACCESSDENIED failure.
 */
export function requireRight(call: CommandCall, lab: CommandContext, connection: GpConnection, need: 'create' | 'link' | 'edit' | 'security', gpo?: LabGpo): void {
  if (connection.controller.isReadOnly) failWith(call, lab, 'GPAccessDenied');
  const groups = sessionGroups(connection.estate);
  const has = (name: string) => groups.some((g) => sameText(g, name));
  if (ADMIN_GROUPS.some(has)) return;
  if (need === 'create' && has('Group Policy Creator Owners')) return;
  if (gpo && (need === 'edit' || need === 'security')) {
    const needed = need === 'edit' ? RANK.GpoEdit : RANK.GpoEditDeleteModifySecurity;
    if (gpo.permissions.some((p) => has(p.trustee) && (RANK[p.permission] ?? 0) >= needed)) return;
  }
  failWith(call, lab, 'GPAccessDenied');
}

export function directoryAt(connection: GpConnection, lab: CommandContext): Directory {
  return buildDirectory(connection.estate, connection.forest, connection.domain, connection.controller, lab.now());
}

/** The domain with this DNS name inside an estate read in a transaction (the same domain as the connection's). */
export function domainIn(estate: LabEstate, domain: LabDomain): LabDomain {
  return estate.forests.flatMap((f) => f.domains).find((d) => sameText(d.dnsName, domain.dnsName))!;
}
