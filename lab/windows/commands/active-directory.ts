import { getADDomainController } from './active-directory/domain-controller';
import { getADDomain, getADForest } from './active-directory/domain';
import { getADGroupMember, getADReplicationSite } from './active-directory/members';
import { getADDomainControllerPasswordReplicationPolicy } from './active-directory/password-replication';
import { searchCommands } from './active-directory/search';
import type { CommandSimulation } from './types';

/** The ActiveDirectory module (catalog/ActiveDirectory.json) over the directory the estate implies (active-directory/directory.ts). */
export const activeDirectoryCommands: Record<string, CommandSimulation> = {
  'Get-ADDomain': getADDomain,
  'Get-ADForest': getADForest,
  'Get-ADDomainController': getADDomainController,
  ...searchCommands,
  'Get-ADGroupMember': getADGroupMember,
  'Get-ADReplicationSite': getADReplicationSite,
  'Get-ADDomainControllerPasswordReplicationPolicy': getADDomainControllerPasswordReplicationPolicy,
};
