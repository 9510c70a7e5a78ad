import type { LabDomain, LabEstate, LabGpo } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import { failWith } from '../active-directory/errors';
import { sameDn } from '../active-directory/names';
import type { CommandCall, CommandContext, CommandSimulation, LabObject } from '../types';
import { domainIn, gpConnect, requireRight } from './connection';
import { findGpo, gpoObject } from './gpo';

/**
 * GPO links (the gPLink attribute of domains and OUs): New-GPLink, Set-GPLink, Remove-GPLink. A link's order is
 * its precedence among the links of its target (1 = highest); New-GPLink appends unless -Order says where
 * (docs). Targets are stored as the directory writes them (the DN of the domain or OU).
 */

type Link = LabGpo['links'][number];

export const linkMutation = (domain: LabDomain, gpo: LabGpo, target: string) => `gpolink:${domain.dnsName}:${gpo.displayName}:${target}`;

/** The domain or OU a link target names, as stored, in any domain of the estate (links may cross trusted domains). */
function findTarget(estate: LabEstate, target: string): string | undefined {
  for (const domain of estate.forests.flatMap((f) => f.domains)) {
    if (sameDn(domain.distinguishedName, target)) return domain.distinguishedName;
    const ou = domain.ous.find((o) => sameDn(o.distinguishedName, target)) ?? (sameDn(`OU=Domain Controllers,${domain.distinguishedName}`, target) ? { distinguishedName: `OU=Domain Controllers,${domain.distinguishedName}` } : undefined);
    if (ou) return ou.distinguishedName;
  }
  return undefined;
}

const linksAt = (domain: LabDomain, target: string) => domain.gpos.flatMap((g) => g.links.filter((l) => sameDn(l.target, target)));

function gpoLinkObject(lab: CommandContext, gpo: LabGpo, link: Link): LabObject {
  return lab.object('Microsoft.GroupPolicy.GpoLink', { GpoId: gpo.id, DisplayName: gpo.displayName, Enabled: link.enabled, Enforced: link.enforced, Target: link.target, Order: link.order });
}

/** -LinkEnabled / -Enforced take EnableLink / EnforceLink values; Unspecified (or absent) leaves the value alone. */
function flag(call: CommandCall, name: string): boolean | undefined {
  const value = call.get<string>(name);
  return value === undefined || value === 'Unspecified' ? undefined : value === 'Yes';
}

/** Moves a link to `order` among its target's links, shifting the others (orders stay 1..n). */
function reorder(domain: LabDomain, link: Link, order: number): void {
  const others = linksAt(domain, link.target).filter((l) => l !== link).sort((a, b) => a.order - b.order);
  const position = Math.min(Math.max(order, 1), others.length + 1);
  others.splice(position - 1, 0, link);
  others.forEach((l, index) => (l.order = index + 1));
}

export const newGpLink: CommandSimulation = async (call, lab) => {
  const given = call.get<string>('Target') ?? '';
  const object = await lab.update((estate) => {
    const connection = gpConnect(call, lab, estate);
    const domain = domainIn(estate, connection.domain);
    const gpo = findGpo(call, lab, domain);
    const target = findTarget(estate, given);
    if (!target) failWith(call, lab, 'GPLinkTargetInvalid');
    if (gpo.links.some((l) => sameDn(l.target, target))) failWith(call, lab, 'UnableToCreateNewLink', { name: gpo.displayName, target: given });
    requireRight(call, lab, connection, 'link', gpo);
    const link: Link = { target, order: linksAt(domain, target).length + 1, enabled: flag(call, 'LinkEnabled') ?? true, enforced: flag(call, 'Enforced') ?? false };
    gpo.links.push(link);
    const order = call.get<number>('Order');
    if (order !== undefined) reorder(domain, link, order);
    recordMutation(estate, linkMutation(domain, gpo, target));
    return gpoLinkObject(lab, gpo, link);
  });
  return [object];
};

export const setGpLink: CommandSimulation = async (call, lab) => {
  const given = call.get<string>('Target') ?? '';
  const object = await lab.update((estate) => {
    const connection = gpConnect(call, lab, estate);
    const domain = domainIn(estate, connection.domain);
    const gpo = findGpo(call, lab, domain);
    const link = gpo.links.find((l) => sameDn(l.target, given));
    if (!link) failWith(call, lab, 'GpoLinkNotFound', { id: `{${gpo.id}}`, target: given });
    requireRight(call, lab, connection, 'link', gpo);
    const before = JSON.stringify(linksAt(domain, link.target));
    const enabled = flag(call, 'LinkEnabled');
    const enforced = flag(call, 'Enforced');
    if (enabled !== undefined) link.enabled = enabled;
    if (enforced !== undefined) link.enforced = enforced;
    const order = call.get<number>('Order');
    if (order !== undefined) reorder(domain, link, order);
    if (JSON.stringify(linksAt(domain, link.target)) !== before) recordMutation(estate, linkMutation(domain, gpo, link.target));
    return gpoLinkObject(lab, gpo, link);
  });
  return [object];
};

export const removeGpLink: CommandSimulation = async (call, lab) => {
  const given = call.get<string>('Target') ?? '';
  const object = await lab.update((estate) => {
    const connection = gpConnect(call, lab, estate);
    const domain = domainIn(estate, connection.domain);
    const gpo = findGpo(call, lab, domain);
    const target = findTarget(estate, given);
    if (!target) failWith(call, lab, 'GPLinkTargetNotFound');
    const link = gpo.links.find((l) => sameDn(l.target, target));
    if (!link) failWith(call, lab, 'GpoLinkNotFound', { id: `{${gpo.id}}`, target: given });
    requireRight(call, lab, connection, 'link', gpo);
    gpo.links = gpo.links.filter((l) => l !== link);
    linksAt(domain, target)
      .sort((a, b) => a.order - b.order)
      .forEach((l, index) => (l.order = index + 1));
    recordMutation(estate, linkMutation(domain, gpo, link.target));
    return gpoObject(lab, domain, gpo);
  });
  return [object];
};
