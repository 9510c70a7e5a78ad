import type { LabEstate } from '../../../estate/schema';
import type { CommandCall, CommandContext, LabObject } from '../types';
import { compareVersions } from './gallery';
import { offersTls12, securityProtocolOf } from './host-process';

/** The NuGet provider PowerShellGet needs ($script:NuGetProviderVersion in PowerShellGetv2 PartOne.ps1). */
export const NUGET_MINIMUM_VERSION = '2.8.5.201';
/** What the provider feed offers (observed Install-PackageProvider -Name NuGet output, PowerShell/PowerShellGallery#317). */
export const NUGET_FEED_VERSION = '2.8.5.208';
/** The provider list the bootstrap downloads first (go.microsoft.com/fwlink/?LinkID=627338 redirects to onegetcdn.azureedge.net). */
export const PROVIDER_LIST_URI = 'https://go.microsoft.com/fwlink/?LinkID=627338&clcid=0x409';

export function hasNuGet(estate: LabEstate): boolean {
  const version = estate.managementHost.nugetProviderVersion;
  return version !== null && compareVersions(version, NUGET_MINIMUM_VERSION) >= 0;
}

/**
 * PowerShellGet's Install-NuGetClientBinaries, run first by Install-Module, Find-Module, Register-PSRepository and
 * Set-PSRepository: without the NuGet provider it asks "NuGet provider is required to continue" (ShouldContinue),
 * which a non-interactive session (the bridge's powershell.exe -NonInteractive) cannot answer.
 */
export function requireNuGet(lab: CommandContext, estate: LabEstate): void {
  if (!hasNuGet(estate)) lab.fail('NuGetBootstrapPromptNonInteractive');
}

/**
 * Whether this call's downloads (gallery, provider feed) can happen: the host reaches the Internet
 * (managementHost.psGalleryReachable) and the calling process offers TLS 1.2 - its own
 * [Net.ServicePointManager]::SecurityProtocol, which the script may have changed (host-process.ts).
 */
export function canDownload(call: CommandCall, estate: LabEstate): boolean {
  return estate.managementHost.psGalleryReachable && offersTls12(securityProtocolOf(estate, call.process));
}

/** Providers of a Windows PowerShell 5.1 host (Get-PackageProvider -ListAvailable): the built-in ones, and NuGet once bootstrapped. */
export function installedProviders(lab: CommandContext, estate: LabEstate, powerShellGetVersion: string): LabObject[] {
  const provider = (name: string, version: string, providerPath: string | null, summary: string | null) =>
    lab.object('Microsoft.PackageManagement.Implementation.PackageProvider', {
      Name: name,
      ProviderName: name,
      Version: version,
      Features: {},
      DynamicOptions: [],
      ProviderPath: providerPath,
      SupportedFileExtensions: [],
      SupportedUriSchemes: [],
      Summary: summary,
    });
  const list = [
    provider('msi', '3.0.0.0', null, null),
    provider('msu', '3.0.0.0', null, null),
  ];
  const nuget = estate.managementHost.nugetProviderVersion;
  if (nuget !== null) {
    list.push(provider('NuGet', nuget, `C:\\Program Files\\PackageManagement\\ProviderAssemblies\\nuget\\${nuget}\\Microsoft.PackageManagement.NuGetProvider.dll`, 'NuGet provider for the OneGet meta-package manager'));
  }
  list.push(provider('PowerShellGet', powerShellGetVersion, null, null), provider('Programs', '3.0.0.0', null, null));
  return list;
}
