import { userInfo } from 'node:os';
import type { LabEstate } from '../../../estate/schema';
import { loadCatalog } from '../../catalog';
import type { CommandContext, LabObject } from '../types';

/** The PowerShell Gallery as PowerShellGet registers it (PowerShellGetv2 PartOne.ps1: PSGallerySourceUri, PSGalleryPublishUri, PSGalleryScriptSourceUri). */
export const PSGALLERY = {
  name: 'PSGallery',
  sourceLocation: 'https://www.powershellgallery.com/api/v2',
  publishLocation: 'https://www.powershellgallery.com/api/v2/package/',
  scriptSourceLocation: 'https://www.powershellgallery.com/api/v2/items/psscript',
  scriptPublishLocation: 'https://www.powershellgallery.com/api/v2/package/',
};

/** The profile folder of the account the session runs as (the lab process's own account name). */
export function userProfile(): string {
  return `C:\\Users\\${userInfo().username}`;
}

/** Where Windows PowerShell 5.1 installs modules per scope ($script:programFilesModulesPath / $script:MyDocumentsModulesPath). */
export function modulesPath(scope: 'AllUsers' | 'CurrentUser'): string {
  return scope === 'AllUsers' ? 'C:\\Program Files\\WindowsPowerShell\\Modules' : `${userProfile()}\\Documents\\WindowsPowerShell\\Modules`;
}

/** Gallery metadata of the modules the lab's gallery offers (https://www.powershellgallery.com/packages/AzureADHybridAuthenticationManagement/2.4.71.0). */
const METADATA: Record<string, { author: string; companyName: string; copyright: string; description: string; tags: string[] }> = {
  azureadhybridauthenticationmanagement: {
    author: 'Microsoft Corporation',
    companyName: 'Microsoft Corporation',
    copyright: '(c) 2021 Microsoft Corporation. All rights reserved.',
    description:
      'The Azure AD Hybrid Authentication Management module enables hybrid identity organizations (those with Active Directory on-premises) to use modern credentials for their applications and enables Azure AD to become the trusted source for both cloud and on-premises authentication.',
    tags: ['Azure', 'ActiveDirectory', 'AzureAD', 'AD', 'Kerberos', 'Hybrid', 'Authentication', 'Management'],
  },
};

/** The gallery's version of a module (estate.managementHost.galleryVersions), with the name as the gallery spells it. */
export function galleryModule(estate: LabEstate, name: string): { name: string; version: string } | undefined {
  const entry = Object.entries(estate.managementHost.galleryVersions).find(([n]) => n.toLowerCase() === name.toLowerCase());
  return entry ? { name: entry[0], version: entry[1] } : undefined;
}

/** A PSRepositoryItemInfo (New-PSGetItemInfo.ps1): installed items carry InstalledLocation, found ones do not. */
export function itemInfo(lab: CommandContext, module: { name: string; version: string }, repository: string, installedLocation?: string): LabObject {
  const meta = METADATA[module.name.toLowerCase()];
  const props: Record<string, unknown> = {
    Name: module.name,
    Version: module.version,
    Type: 'Module',
    Description: meta?.description ?? null,
    Author: meta?.author ?? null,
    CompanyName: meta?.companyName ?? null,
    Copyright: meta?.copyright ?? null,
    Tags: meta?.tags ?? [],
    Includes: { Function: [], RoleCapability: [], Command: [], DscResource: [], Workflow: [], Cmdlet: [] },
    PowerShellGetFormatVersion: null,
    Dependencies: [],
    RepositorySourceLocation: repository === PSGALLERY.name ? PSGALLERY.sourceLocation : null,
    Repository: repository,
    PackageManagementProvider: 'NuGet',
  };
  if (installedLocation === undefined) return lab.object('Microsoft.PowerShell.Commands.PSRepositoryItemInfo', props);
  return lab.object('Microsoft.PowerShell.Commands.PSRepositoryItemInfo', { ...props, InstalledLocation: installedLocation }, { requested: ['InstalledLocation'] });
}

/** A warning of PowerShellGet.json / PackageManagement.json `warnings`, its {placeholders} filled. */
export function catalogWarning(module: 'PowerShellGet' | 'PackageManagement', key: string, fill: Record<string, string> = {}): string {
  const declared = loadCatalog().modules.find((m) => m.module === module) as { warnings?: Record<string, { message: string }> } | undefined;
  const template = declared?.warnings?.[key]?.message;
  if (!template) throw new Error(`the catalog declares no warning ${key} in ${module}`);
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => fill[name] ?? whole);
}

/** Compares dotted numeric versions as [version] does (a missing part counts as 0). */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** Whether a version meets -RequiredVersion / -MinimumVersion / -MaximumVersion. */
export function versionMatches(version: string, criteria: { required?: string; minimum?: string; maximum?: string }): boolean {
  if (criteria.required !== undefined && compareVersions(version, criteria.required) !== 0) return false;
  if (criteria.minimum !== undefined && compareVersions(version, criteria.minimum) < 0) return false;
  if (criteria.maximum !== undefined && compareVersions(version, criteria.maximum) > 0) return false;
  return true;
}
