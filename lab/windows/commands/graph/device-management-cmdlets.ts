import type { CommandSimulation } from '../types';
import {
  createAssignment,
  createConfiguration,
  deleteConfiguration,
  getAssignment,
  getConfiguration,
  listAssignments,
  listConfigurations,
  updateConfiguration,
} from './device-configurations';
import { getEnrollmentConfiguration, listEnrollmentConfigurations } from './enrollment';
import { generatedCmdlet, identityOf, listQuery, page, requestBody, toModel } from './sdk';
import { getPolicy, getPolicyAssignment, createPolicy, listPolicies, listPolicyAssignments } from './settings-catalog';

/** Microsoft.Graph.DeviceManagement, Microsoft.Graph.DeviceManagement.Enrollment and the settings catalog of Microsoft.Graph.Beta.DeviceManagement. */

const CONFIGURATION = 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphDeviceConfiguration';
const ASSIGNMENT = 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphDeviceConfigurationAssignment';
const ENROLLMENT = 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphDeviceEnrollmentConfiguration';
const POLICY = 'Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphDeviceManagementConfigurationPolicy';
const POLICY_ASSIGNMENT = 'Microsoft.Graph.Beta.PowerShell.Models.MicrosoftGraphDeviceManagementConfigurationPolicyAssignment';

const configurationIdOf = (call: Parameters<CommandSimulation>[0]) =>
  call.has('DeviceConfigurationId') ? call.get<string>('DeviceConfigurationId')! : identityOf(call, ['DeviceConfigurationId']);

export const deviceManagementCommands: Record<string, CommandSimulation> = {
  'Get-MgDeviceManagementDeviceConfiguration': generatedCmdlet(async ({ call, lab, request }) => {
    if (call.parameterSet === 'List') {
      const found = await listConfigurations(request('deviceManagement/deviceConfigurations'), listQuery(call));
      return page(call, found).map((c) => toModel(lab, CONFIGURATION, c));
    }
    const id = configurationIdOf(call);
    const found = await getConfiguration(request(`deviceManagement/deviceConfigurations/${id}`), id, { select: call.get<string[]>('Property'), expand: call.get<string[]>('ExpandProperty') });
    return [toModel(lab, CONFIGURATION, found)];
  }),

  'New-MgDeviceManagementDeviceConfiguration': generatedCmdlet(async ({ call, lab, request }) => {
    return [toModel(lab, CONFIGURATION, await createConfiguration(request('deviceManagement/deviceConfigurations'), requestBody(call, CONFIGURATION)))];
  }),

  /** PATCH answers 204 No Content, so nothing is written (catalog note). */
  'Update-MgDeviceManagementDeviceConfiguration': generatedCmdlet(async ({ call, request }) => {
    const id = configurationIdOf(call);
    await updateConfiguration(request(`deviceManagement/deviceConfigurations/${id}`), id, requestBody(call, CONFIGURATION, ['DeviceConfigurationId', 'InputObject']));
    return [];
  }),

  /** DELETE answers 204; -PassThru writes $true. */
  'Remove-MgDeviceManagementDeviceConfiguration': generatedCmdlet(async ({ call, request }) => {
    if (call.has('IfMatch')) throw new Error(`cloudtrust lab: ${call.command} -IfMatch is not simulated`);
    const id = configurationIdOf(call);
    await deleteConfiguration(request(`deviceManagement/deviceConfigurations/${id}`), id);
    return call.get<boolean>('PassThru') ? [true] : [];
  }),

  'Get-MgDeviceManagementDeviceConfigurationAssignment': generatedCmdlet(async ({ call, lab, request }) => {
    const id = configurationIdOf(call);
    const path = `deviceManagement/deviceConfigurations/${id}/assignments`;
    if (call.parameterSet === 'List') {
      if (call.has('ExpandProperty')) throw new Error(`cloudtrust lab: ${call.command} -ExpandProperty is not simulated`);
      return page(call, await listAssignments(request(path), id, listQuery(call))).map((a) => toModel(lab, ASSIGNMENT, a));
    }
    const assignmentId = call.has('DeviceConfigurationAssignmentId') ? call.get<string>('DeviceConfigurationAssignmentId')! : identityOf(call, ['DeviceConfigurationAssignmentId']);
    return [toModel(lab, ASSIGNMENT, await getAssignment(request(`${path}/${assignmentId}`), id, assignmentId, call.get<string[]>('Property')))];
  }),

  'New-MgDeviceManagementDeviceConfigurationAssignment': generatedCmdlet(async ({ call, lab, request }) => {
    const id = configurationIdOf(call);
    const body = requestBody(call, ASSIGNMENT, ['DeviceConfigurationId', 'InputObject']);
    return [toModel(lab, ASSIGNMENT, await createAssignment(request(`deviceManagement/deviceConfigurations/${id}/assignments`), id, body))];
  }),

  'Get-MgDeviceManagementDeviceEnrollmentConfiguration': generatedCmdlet(async ({ call, lab, request }) => {
    if (call.parameterSet === 'List') {
      if (call.has('ExpandProperty')) throw new Error(`cloudtrust lab: ${call.command} -ExpandProperty is not simulated`);
      return page(call, await listEnrollmentConfigurations(request('deviceManagement/deviceEnrollmentConfigurations'), listQuery(call))).map((c) => toModel(lab, ENROLLMENT, c));
    }
    const id = call.has('DeviceEnrollmentConfigurationId') ? call.get<string>('DeviceEnrollmentConfigurationId')! : identityOf(call, ['DeviceEnrollmentConfigurationId']);
    return [toModel(lab, ENROLLMENT, await getEnrollmentConfiguration(request(`deviceManagement/deviceEnrollmentConfigurations/${id}`), id, call.get<string[]>('Property')))];
  }),

  'Get-MgBetaDeviceManagementConfigurationPolicy': generatedCmdlet(async ({ call, lab, request }) => {
    if (call.parameterSet === 'List') {
      const found = await listPolicies(request('deviceManagement/configurationPolicies', 'beta'), listQuery(call));
      return page(call, found).map((p) => toModel(lab, POLICY, p));
    }
    const id = call.has('DeviceManagementConfigurationPolicyId') ? call.get<string>('DeviceManagementConfigurationPolicyId')! : identityOf(call, ['DeviceManagementConfigurationPolicyId']);
    const found = await getPolicy(request(`deviceManagement/configurationPolicies/${id}`, 'beta'), id, { select: call.get<string[]>('Property'), expand: call.get<string[]>('ExpandProperty') });
    return [toModel(lab, POLICY, found)];
  }),

  'New-MgBetaDeviceManagementConfigurationPolicy': generatedCmdlet(async ({ call, lab, request }) => {
    return [toModel(lab, POLICY, await createPolicy(request('deviceManagement/configurationPolicies', 'beta'), requestBody(call, POLICY)))];
  }),

  'Get-MgBetaDeviceManagementConfigurationPolicyAssignment': generatedCmdlet(async ({ call, lab, request }) => {
    const policyId = call.has('DeviceManagementConfigurationPolicyId') ? call.get<string>('DeviceManagementConfigurationPolicyId')! : identityOf(call, ['DeviceManagementConfigurationPolicyId']);
    const path = `deviceManagement/configurationPolicies/${policyId}/assignments`;
    if (call.parameterSet === 'List') {
      if (call.has('ExpandProperty')) throw new Error(`cloudtrust lab: ${call.command} -ExpandProperty is not simulated`);
      return page(call, await listPolicyAssignments(request(path, 'beta'), policyId, listQuery(call))).map((a) => toModel(lab, POLICY_ASSIGNMENT, a));
    }
    const id = call.has('DeviceManagementConfigurationPolicyAssignmentId') ? call.get<string>('DeviceManagementConfigurationPolicyAssignmentId')! : identityOf(call, ['DeviceManagementConfigurationPolicyAssignmentId']);
    return [toModel(lab, POLICY_ASSIGNMENT, await getPolicyAssignment(request(`${path}/${id}`, 'beta'), policyId, id, call.get<string[]>('Property')))];
  }),
};
