import { recordMutation } from '../../../estate/store';
import { loadCatalog } from '../../catalog';
import type { CommandSimulation } from '../types';
import { catalogWarning, compareVersions, userProfile, versionMatches } from './gallery';
import { canDownload, installedProviders, NUGET_FEED_VERSION, PROVIDER_LIST_URI } from './nuget';

const powerShellGetVersion = () => loadCatalog().modules.find((m) => m.module === 'PowerShellGet')?.version ?? '2.2.5';
const ALL_USERS_PROVIDERS = 'C:\\Program Files\\PackageManagement\\ProviderAssemblies';

/**
 * Install-PackageProvider (PackageManagement): downloads the provider list from the feed, then the provider. The
 * default scope is AllUsers, which needs an elevated session. Without the feed (offline, or a process that does
 * not offer TLS 1.2) it warns that it could not download and reports no match (PowerShell/PowerShellGallery#317,
 * OneGet/NuGetProvider#69). The feed offers the NuGet provider only.
 */
export const installPackageProvider: CommandSimulation = async (call, lab) => {
  if (call.parameterSet !== 'PackageBySearch') throw new Error('Install-PackageProvider -InputObject is not simulated');
  const estate = await lab.read();
  const host = estate.managementHost;
  const scope = call.get<string>('Scope') ?? 'AllUsers';
  if (scope === 'AllUsers' && !host.elevated) lab.fail('InstallProviderRequiresAdmin', { allUsersPath: ALL_USERS_PROVIDERS, currentUserPath: `${userProfile()}\\AppData\\Local\\PackageManagement\\ProviderAssemblies` });
  const names = call.get<string[]>('Name') ?? [];
  if (!canDownload(call, estate)) {
    lab.warn(catalogWarning('PackageManagement', 'UnableToDownload', { uri: PROVIDER_LIST_URI, destination: '' }));
    lab.warn(catalogWarning('PackageManagement', 'UnableToDownloadProviderList'));
    for (const name of names) lab.writeError('NoMatchFoundForProvider', { name });
    return [];
  }
  const criteria = { required: call.get<string>('RequiredVersion'), minimum: call.get<string>('MinimumVersion'), maximum: call.get<string>('MaximumVersion') };
  const output = [];
  for (const name of names) {
    if (name.toLowerCase() !== 'nuget' || !versionMatches(NUGET_FEED_VERSION, criteria)) {
      lab.writeError('NoMatchFoundForProvider', { name });
      continue;
    }
    const installed = host.nugetProviderVersion;
    const current = installed !== null && compareVersions(installed, NUGET_FEED_VERSION) >= 0 && !call.get<boolean>('Force');
    if (!current) {
      await lab.update((changed) => {
        if (changed.managementHost.nugetProviderVersion === NUGET_FEED_VERSION) return;
        changed.managementHost.nugetProviderVersion = NUGET_FEED_VERSION;
        recordMutation(changed, `packageprovider:${changed.managementHost.hostName}:NuGet`);
      });
    }
    output.push(
      lab.object('Microsoft.PackageManagement.Packaging.SoftwareIdentity', {
        Name: 'nuget',
        Version: NUGET_FEED_VERSION,
        VersionScheme: 'MultiPartNumeric',
        ProviderName: 'Bootstrap',
        Source: `https://onegetcdn.azureedge.net/providers/Microsoft.PackageManagement.NuGetProvider-${NUGET_FEED_VERSION}.dll`,
        Status: 'Installed',
        Summary: 'NuGet provider for the OneGet meta-package manager',
        FromTrustedSource: true,
        Links: [],
        Entities: [],
        Dependencies: [],
      }),
    );
  }
  return output;
};

/**
 * Get-PackageProvider: the providers of the host (-ListAvailable: every installed one; without it the loaded ones,
 * which on a host that has them are the same here). A -Name that matches none is a non-terminating error.
 */
export const getPackageProvider: CommandSimulation = async (call, lab) => {
  const estate = await lab.read();
  const all = installedProviders(lab, estate, powerShellGetVersion());
  const names = call.get<string[]>('Name');
  if (!names) return all;
  const output = [];
  for (const name of names) {
    const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    const found = all.filter((provider) => pattern.test(String(provider.props.Name)));
    if (found.length === 0 && !/[*?]/.test(name)) lab.writeError(call.get<boolean>('ListAvailable') ? 'UnknownProvider' : 'UnknownProviderFromActivatedList', { name });
    output.push(...found);
  }
  return output;
};
