import type { LabDomain, LabGpo } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import { attribute, type Directory } from '../active-directory/directory';
import { failWith, writeErrorWith } from '../active-directory/errors';
import { sameText } from '../active-directory/names';
import { principalSid, wellKnown } from '../active-directory/principals';
import type { CommandContext, CommandSimulation, LabObject } from '../types';
import { directoryAt, domainIn, gpConnect, requireRight } from './connection';
import { changeGpo, findGpo, gpoObject, touch } from './gpo';

/**
 * GPO permissions (security filtering and delegation): Get-GPPermission and Set-GPPermission. The estate keeps
 * one entry per trustee: its name, the -TargetType it was granted as, and the level.
 */

type Permission = LabGpo['permissions'][number];

export interface Trustee {
  name: string;
  sid: string;
  sidType: string;
  domain: string | null;
  dsPath: string | null;
}

/**
 * A trustee as GPMC resolves it: well-known principals (Authenticated Users, SYSTEM, ENTERPRISE DOMAIN
 * CONTROLLERS; SidType WellKnownGroup, as Get-GPPermission Example 3 prints them), else the domain's group, user
 * or computer with that sAMAccountName.
 */
export function resolveTrustee(directory: Directory, name: string): Trustee | undefined {
  const known = wellKnown(name);
  if (known) return { name: known.name, sid: known.sid, sidType: 'WellKnownGroup', domain: known.authority || null, dsPath: null };
  const bare = name.includes('\\') ? name.slice(name.indexOf('\\') + 1) : name;
  const object = directory.objects.find((o) => {
    const sam = String(attribute(o, 'sAMAccountName')?.value ?? '');
    return sam !== '' && (sameText(sam, bare) || (o.objectClass.includes('computer') && sameText(sam, `${bare}$`)));
  });
  if (!object) return undefined;
  const sidType = object.objectClass.includes('computer') ? 'Computer' : object.objectClass.includes('group') ? 'Group' : 'User';
  return { name: String(attribute(object, 'sAMAccountName')!.value), sid: String(attribute(object, 'objectSid')!.value), sidType, domain: directory.domain.netBiosName, dsPath: object.distinguishedName };
}

/** The trustee of a stored entry; one the directory does not hold keeps its stored name and a derived SID. */
function trusteeOf(directory: Directory, entry: Permission): Trustee {
  const { forest, domain } = directory;
  return resolveTrustee(directory, entry.trustee) ?? { name: entry.trustee, sid: principalSid(forest, domain, entry.trustee), sidType: entry.trusteeType, domain: domain.netBiosName, dsPath: null };
}

function permissionObject(lab: CommandContext, trustee: Trustee, entry: Permission): LabObject {
  return lab.object('Microsoft.GroupPolicy.GPPermission', {
    Denied: false,
    Inheritable: true,
    Inherited: false,
    Permission: entry.permission,
    Trustee: lab.object('Microsoft.GroupPolicy.GPTrustee', { Domain: trustee.domain, DSPath: trustee.dsPath, Name: trustee.name, Sid: trustee.sid, SidType: trustee.sidType }),
  });
}

/** -TargetType against what the name resolved to: Group also covers the well-known groups (catalog note). */
function typeMatches(trustee: Trustee, targetType: string | undefined): boolean {
  if (!targetType) return true;
  if (trustee.sidType === 'WellKnownGroup') return true;
  return sameText(trustee.sidType, targetType);
}

/**
 * Get-GPPermission: with -All every trustee's entry; with -TargetName/-TargetType that trustee's, and when it has
 * none the documented non-terminating error (docs, Example 4).
 */
export const getGpPermission: CommandSimulation = async (call, lab) => {
  const connection = gpConnect(call, lab, await lab.read());
  const gpo = findGpo(call, lab, connection.domain);
  const directory = directoryAt(connection, lab);
  const entries = gpo.permissions.map((entry) => ({ entry, trustee: trusteeOf(directory, entry) }));
  if (call.get<boolean>('All') === true) return entries.map(({ entry, trustee }) => permissionObject(lab, trustee, entry));
  const targetName = call.get<string>('TargetName');
  if (targetName === undefined) return [];
  const trustee = resolveTrustee(directory, targetName);
  if (!trustee || !typeMatches(trustee, call.get<string>('TargetType'))) failWith(call, lab, 'GPTrusteeNotFound');
  const found = entries.find((e) => e.trustee.sid === trustee.sid);
  if (!found) {
    writeErrorWith(call, lab, 'GPPermissionNotFound', { name: trustee.name, gpo: gpo.displayName });
    return [];
  }
  return [permissionObject(lab, found.trustee, found.entry)];
};

const RANK: Record<string, number> = { None: 0, GpoRead: 1, GpoApply: 2, GpoCustom: 2, GpoEdit: 3, GpoEditDeleteModifySecurity: 4 };
const GPO_LEVELS = ['None', 'GpoRead', 'GpoApply', 'GpoEdit', 'GpoEditDeleteModifySecurity'];

export const permissionMutation = (domain: LabDomain, gpo: LabGpo, trustee: string) => `gpoperm:${domain.dnsName}:${gpo.displayName}:${trustee}`;

/**
 * Set-GPPermission (docs): grants -PermissionLevel to -TargetName as -TargetType. Without -Replace a level lower
 * than the one the trustee holds is not applied; with -Replace the existing level is replaced, and None removes
 * the trustee. -All applies it to every GPO of the domain. Outputs the Gpo(s).
 */
export const setGpPermission: CommandSimulation = async (call, lab) => {
  const level = call.get<string>('PermissionLevel') ?? '';
  if (!GPO_LEVELS.includes(level)) throw new Error(`Set-GPPermission: -PermissionLevel ${level} applies to WMI filters, starter GPOs or SOMs, which the lab does not model`);
  const targetType = call.get<string>('TargetType') ?? 'Group';
  const replace = call.get<boolean>('Replace') === true;
  const apply = (gpo: LabGpo, domain: LabDomain, trustee: Trustee, record: (key: string) => void) => {
    const existing = gpo.permissions.find((p) => sameText(p.trustee, trustee.name));
    if (!replace && existing && RANK[existing.permission] >= RANK[level]) return;
    if (existing && existing.permission === level) return;
    if (level === 'None' && !existing) return;
    gpo.permissions = gpo.permissions.filter((p) => p !== existing);
    if (level !== 'None') gpo.permissions.push({ trustee: trustee.name, trusteeType: targetType as Permission['trusteeType'], permission: level as Permission['permission'] });
    record(permissionMutation(domain, gpo, trustee.name));
    touch(gpo, null, lab.now());
  };
  const resolve = (directory: Directory) => {
    const trustee = resolveTrustee(directory, call.get<string>('TargetName') ?? '');
    if (!trustee || !typeMatches(trustee, targetType)) failWith(call, lab, 'GPTrusteeNotFound');
    return trustee;
  };
  if (call.parameterSet === 'PermissionAll') {
    return lab.update((estate) => {
      const connection = gpConnect(call, lab, estate);
      const domain = domainIn(estate, connection.domain);
      const trustee = resolve(directoryAt(connection, lab));
      for (const gpo of domain.gpos) requireRight(call, lab, connection, 'security', gpo);
      return domain.gpos.map((gpo) => {
        apply(gpo, domain, trustee, (key) => recordMutation(estate, key));
        return gpoObject(lab, domain, gpo);
      });
    });
  }
  return [
    await changeGpo(call, lab, 'security', (gpo, domain, connection, record) => {
      apply(gpo, domain, resolve(directoryAt(connection, lab)), record);
    }),
  ];
};
