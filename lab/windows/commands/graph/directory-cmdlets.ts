import type { CommandSimulation } from '../types';
import { addMember, createGroup, getGroup, getOrganization, listGroups, listMembers, listOrganization } from './directory';
import { generatedCmdlet, identityOf, listQuery, page, requestBody, toModel } from './sdk';

/** Microsoft.Graph.Identity.DirectoryManagement and Microsoft.Graph.Groups. */

const ORGANIZATION = 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphOrganization';
const GROUP = 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphGroup';
const DIRECTORY_OBJECT = 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphDirectoryObject';

export const directoryCommands: Record<string, CommandSimulation> = {
  'Get-MgOrganization': generatedCmdlet(async ({ call, lab, request }) => {
    if (call.parameterSet === 'List') {
      const found = await listOrganization(request('organization'), listQuery(call));
      return page(call, found).map((o) => toModel(lab, ORGANIZATION, o));
    }
    const id = call.parameterSet === 'Get' ? call.get<string>('OrganizationId')! : identityOf(call, ['OrganizationId']);
    return [toModel(lab, ORGANIZATION, await getOrganization(request(`organization/${id}`), id, call.get<string[]>('Property')))];
  }),

  'Get-MgGroup': generatedCmdlet(async ({ call, lab, request }) => {
    if (call.parameterSet === 'List') {
      const found = await listGroups(request('groups'), listQuery(call));
      return page(call, found).map((g) => toModel(lab, GROUP, g));
    }
    const id = call.parameterSet === 'Get' ? call.get<string>('GroupId')! : identityOf(call, ['GroupId']);
    return [toModel(lab, GROUP, await getGroup(request(`groups/${id}`), id, call.get<string[]>('Property')))];
  }),

  'New-MgGroup': generatedCmdlet(async ({ call, lab, request }) => {
    return [toModel(lab, GROUP, await createGroup(request('groups'), requestBody(call, GROUP)))];
  }),

  'Get-MgGroupMember': generatedCmdlet(async ({ call, lab, request }) => {
    const groupId = call.get<string>('GroupId')!;
    const found = await listMembers(request(`groups/${groupId}/members`), groupId, listQuery(call));
    return page(call, found).map((m) => toModel(lab, DIRECTORY_OBJECT, m));
  }),

  /** POST /groups/{id}/members/$ref answers 204: nothing is written. */
  'New-MgGroupMember': generatedCmdlet(async ({ call, request }) => {
    const groupId = call.has('GroupId') ? call.get<string>('GroupId')! : identityOf(call, ['GroupId']);
    let memberId = call.get<string>('DirectoryObjectId');
    if (memberId === undefined) {
      const reference = String(requestBody(call, DIRECTORY_OBJECT)['@odata.id'] ?? '');
      memberId = reference.split('/').pop() ?? '';
    }
    await addMember(request(`groups/${groupId}/members/$ref`), groupId, memberId);
    return [];
  }),
};
