import { randomUUID } from 'node:crypto';
import type { LabDomain, LabGpo } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import { failWith } from '../active-directory/errors';
import { sameText } from '../active-directory/names';
import type { CommandCall, CommandContext, CommandSimulation, LabObject } from '../types';
import { domainIn, gpConnect, requireRight, type GpConnection } from './connection';

/**
 * GPOs: Get-GPO (-Guid, -Name, -All), New-GPO, Remove-GPO, and the Gpo object every GroupPolicy cmdlet that
 * changes a GPO writes (Gpo class page: Computer, CreationTime, Description, DisplayName, DomainName, GpoStatus,
 * Id, ModificationTime, Owner, Path, User, WmiFilter).
 */

/** The time the estate's sample GPOs were created (they carry no dates). */
const CREATED = '2019-05-14T09:00:00.000Z';

export const gpoKey = (domain: LabDomain, gpo: LabGpo) => `gpo:${domain.dnsName}:${gpo.displayName}`;

export function gpoObject(lab: CommandContext, domain: LabDomain, gpo: LabGpo): LabObject {
  const half = (type: string, version: number, enabled: boolean) => lab.object(type, { DSVersion: version, Enabled: enabled, Policy: null, Preference: null, SysvolVersion: version });
  const computerOff = gpo.status === 'ComputerSettingsDisabled' || gpo.status === 'AllSettingsDisabled';
  const userOff = gpo.status === 'UserSettingsDisabled' || gpo.status === 'AllSettingsDisabled';
  return lab.object('Microsoft.GroupPolicy.Gpo', {
    Computer: half('Microsoft.GroupPolicy.ComputerConfiguration', gpo.computerVersion ?? 0, !computerOff),
    CreationTime: gpo.createdOn ?? CREATED,
    Description: gpo.description ?? '',
    DisplayName: gpo.displayName,
    DomainName: domain.dnsName,
    GpoStatus: gpo.status,
    Id: gpo.id,
    ModificationTime: gpo.modifiedOn ?? gpo.createdOn ?? CREATED,
    Owner: `${domain.netBiosName}\\Domain Admins`,
    Path: `cn={${gpo.id.toUpperCase()}},cn=policies,cn=system,${domain.distinguishedName}`,
    User: half('Microsoft.GroupPolicy.UserConfiguration', gpo.userVersion ?? 0, !userOff),
    WmiFilter: null,
  });
}

const bareGuid = (value: string) => value.trim().replace(/^\{|\}$/g, '').toLowerCase();

/** The GPO a cmdlet names by -Guid (alias Id) or -Name (alias DisplayName), or its documented not-found error. */
export function findGpo(call: CommandCall, lab: CommandContext, domain: LabDomain): LabGpo {
  const guid = call.get<string>('Guid');
  if (guid !== undefined) {
    const gpo = domain.gpos.find((g) => g.id.toLowerCase() === bareGuid(guid));
    if (!gpo) failWith(call, lab, 'GpoWithIdNotFound', { id: `{${bareGuid(guid)}}`, domain: domain.dnsName });
    return gpo;
  }
  const name = call.get<string>('Name') ?? '';
  // Display names are not unique (Gpo.DisplayName docs); the cmdlet is handed the first GPO with the name.
  const gpo = domain.gpos.find((g) => sameText(g.displayName, name));
  if (!gpo) failWith(call, lab, 'GpoWithNameNotFound', { name, domain: domain.dnsName });
  return gpo;
}

/** Marks a GPO edited: its modification time and the version of the half that changed. */
export function touch(gpo: LabGpo, half: 'computer' | 'user' | null, now: Date): void {
  gpo.modifiedOn = now.toISOString();
  if (half === 'computer') gpo.computerVersion = (gpo.computerVersion ?? 0) + 1;
  if (half === 'user') gpo.userVersion = (gpo.userVersion ?? 0) + 1;
}

/** Runs a change of one GPO under the estate lock and answers with the Gpo afterwards. */
export async function changeGpo(
  call: CommandCall,
  lab: CommandContext,
  need: 'edit' | 'security' | 'link',
  change: (gpo: LabGpo, domain: LabDomain, connection: GpConnection, record: (key: string) => void) => void,
): Promise<LabObject> {
  return lab.update((estate) => {
    const connection = gpConnect(call, lab, estate);
    const domain = domainIn(estate, connection.domain);
    const gpo = findGpo(call, lab, domain);
    requireRight(call, lab, connection, need, gpo);
    change(gpo, domain, connection, (key) => recordMutation(estate, key));
    return gpoObject(lab, domain, gpo);
  });
}

export const getGpo: CommandSimulation = async (call, lab) => {
  const connection = gpConnect(call, lab, await lab.read());
  if (call.parameterSet === 'GetAll') return connection.domain.gpos.map((gpo) => gpoObject(lab, connection.domain, gpo));
  return [gpoObject(lab, connection.domain, findGpo(call, lab, connection.domain))];
};

/**
 * New-GPO: an empty GPO, all settings enabled, with the default security filtering of a new GPO (Get-GPPermission
 * docs, Example 3): Authenticated Users GpoApply, Domain Admins and Enterprise Admins GpoEditDeleteModifySecurity,
 * ENTERPRISE DOMAIN CONTROLLERS GpoRead, SYSTEM GpoEditDeleteModifySecurity.
 */
export const newGpo: CommandSimulation = async (call, lab) => {
  if (call.parameterSet !== 'New') throw new Error('starter GPOs (-StarterGpoGuid / -StarterGpoName) are not modelled by the lab estate');
  const object = await lab.update((estate) => {
    const connection = gpConnect(call, lab, estate);
    const domain = domainIn(estate, connection.domain);
    const name = call.get<string>('Name') ?? '';
    if (domain.gpos.some((g) => sameText(g.displayName, name))) failWith(call, lab, 'GpoWithNameAlreadyExists', { name, domain: domain.dnsName });
    requireRight(call, lab, connection, 'create');
    const now = lab.now().toISOString();
    const gpo: LabGpo = {
      id: randomUUID(),
      displayName: name,
      status: 'AllSettingsEnabled',
      registryValues: [],
      links: [],
      permissions: [
        { trustee: 'Authenticated Users', trusteeType: 'Group', permission: 'GpoApply' },
        { trustee: 'Domain Admins', trusteeType: 'Group', permission: 'GpoEditDeleteModifySecurity' },
        { trustee: 'Enterprise Admins', trusteeType: 'Group', permission: 'GpoEditDeleteModifySecurity' },
        { trustee: 'ENTERPRISE DOMAIN CONTROLLERS', trusteeType: 'Group', permission: 'GpoRead' },
        { trustee: 'SYSTEM', trusteeType: 'User', permission: 'GpoEditDeleteModifySecurity' },
      ],
      createdOn: now,
      modifiedOn: now,
    };
    const comment = call.get<string>('Comment');
    if (comment) gpo.description = comment;
    domain.gpos.push(gpo);
    recordMutation(estate, gpoKey(domain, gpo));
    return gpoObject(lab, domain, gpo);
  });
  return [object];
};

/** Remove-GPO: deletes the GPO, and with it its links (the lab keeps links on the GPO, so -KeepLinks cannot leave them behind). */
export const removeGpo: CommandSimulation = async (call, lab) => {
  await lab.update((estate) => {
    const connection = gpConnect(call, lab, estate);
    const domain = domainIn(estate, connection.domain);
    const gpo = findGpo(call, lab, domain);
    requireRight(call, lab, connection, 'security', gpo);
    domain.gpos = domain.gpos.filter((g) => g !== gpo);
    recordMutation(estate, gpoKey(domain, gpo));
  });
  return [];
};
