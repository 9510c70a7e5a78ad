import { recordMutation } from '../../../estate/store';
import { loadCatalog } from '../../catalog';
import type { CommandContext, CommandSimulation } from '../types';
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
  if (host.nugetBootstrap !== 'ok' && names.some((name) => name.toLowerCase() === 'nuget')) {
    retiredCdn(lab, host.nugetBootstrap, names);
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

/** The retired provider feed on onegetcdn.azureedge.net (estate managementHost.nugetBootstrap). */
const CDN = 'https://onegetcdn.azureedge.net/providers';

/**
 * The two observed endings of the NuGet bootstrap since the onegetcdn.azureedge.net certificate expired and the
 * CDN is being retired: the swidtag downloads fail and no provider matches (PowerShell/PowerShellGallery#317,
 * anypackage/anypackage#270), or the provider list loads and the provider DLL does not (PowerShell/PowerShellGet#78).
 */
function retiredCdn(lab: CommandContext, ending: 'retiredCdn' | 'retiredCdnAssembly', names: string[]): void {
  const unableTo = (uri: string) => lab.warn(catalogWarning('PackageManagement', 'UnableToDownload', { uri, destination: '' }));
  if (ending === 'retiredCdnAssembly') {
    unableTo(`${CDN}/Microsoft.PackageManagement.NuGetProvider-${NUGET_FEED_VERSION}.dll`);
    const swidtag = `https://cdn.oneget.org/providers/nuget-${NUGET_FEED_VERSION}.package.swidtag`;
    lab.writeError('FailedProviderBootstrap', { swidtag }, { targetObject: swidtag });
    return;
  }
  for (const file of [`nuget-${NUGET_FEED_VERSION}.package.swidtag`, 'nugetv2.feed.swidtag', 'psl.feed.swidtag']) unableTo(`${CDN}/${file}`);
  for (const name of names) lab.writeError('NoMatchFoundForProvider', { name });
}

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
