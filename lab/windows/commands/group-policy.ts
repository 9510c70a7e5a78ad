import { getGpo, newGpo, removeGpo } from './group-policy/gpo';
import { newGpLink, removeGpLink, setGpLink } from './group-policy/links';
import { getGpPermission, setGpPermission } from './group-policy/permissions';
import { getGpRegistryValue, removeGpRegistryValue, setGpRegistryValue } from './group-policy/registry';
import { getGpoReport } from './group-policy/report';
import type { CommandSimulation } from './types';

/** The GroupPolicy module (catalog/GroupPolicy.json) over the estate's GPOs. */
export const groupPolicyCommands: Record<string, CommandSimulation> = {
  'Get-GPO': getGpo,
  'New-GPO': newGpo,
  'Remove-GPO': removeGpo,
  'Get-GPRegistryValue': getGpRegistryValue,
  'Set-GPRegistryValue': setGpRegistryValue,
  'Remove-GPRegistryValue': removeGpRegistryValue,
  'Get-GPPermission': getGpPermission,
  'Set-GPPermission': setGpPermission,
  'New-GPLink': newGpLink,
  'Set-GPLink': setGpLink,
  'Remove-GPLink': removeGpLink,
  'Get-GPOReport': getGpoReport,
};
