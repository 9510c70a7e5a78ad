import { z } from 'zod';
import type { LabEstate } from '../../estate/schema';
import { recordMutation } from '../../estate/store';
import { bindParameters } from '../bind';
import { LabError, type StepHandler } from '../handler';
import { compareVersions, HYBRID_AUTH_MODULE, hostModuleState, VERSION_PATTERN } from './host-module';

type ManagementHost = LabEstate['managementHost'];

const NUGET_MINIMUM_VERSION = '2.8.5.201';
/** What Install-PackageProvider -Name NuGet installs from the provider feed. */
const NUGET_LATEST_VERSION = '2.8.5.208';
/** Set-HostModule.ps1 always forces TLS 1.2 for its process before it downloads anything. */
const SCRIPT_FORCES_TLS12 = true;

// Text of the real failures (reference §1.1 and §8: NuGet/PSGallery need TLS 1.2; PackageManagement's messages).
const NUGET_DOWNLOAD_WARNING = "Unable to download from URI 'https://go.microsoft.com/fwlink/?LinkID=627338&clcid=0x409' to ''.";
const NUGET_NO_MATCH = "No match was found for the specified search criteria for the provider 'NuGet'. The package provider requires 'PackageManagement' and 'Provider' tags. Please check if the specified package has the tags.";
const GALLERY_RESOLVE_WARNING = "Unable to resolve package source 'https://www.powershellgallery.com/api/v2'.";
const moduleNoMatch = (name: string) => `No match was found for the specified search criteria and module name '${name}'. Try Get-PSRepository to see all available registered module repositories.`;

const parameters = z.object({
  MinimumVersion: z.string().regex(VERSION_PATTERN).default('2.1.1.0'),
  PlanOnly: z.boolean().default(false),
});

const notElevated = (host: ManagementHost) =>
  `Access is denied: installing the NuGet provider and modules for all users needs an elevated session (Run as administrator) on ${host.hostName}.`;

/** The script's Stop-IfGalleryUnreachable: PackageManagement's "No match" error after an "Unable to ..." warning. */
function galleryUnreachable(host: ManagementHost, command: string, warning: string, original: string): LabError {
  return new LabError(`PowerShell Gallery is unreachable from ${host.hostName} (${command}): ${warning} ${original}`, 'ResourceUnavailable', 'GalleryUnreachable,Stop-Step', host.hostName);
}

function plannedChanges(host: ManagementHost, minimumVersion: string): string[] {
  const state = hostModuleState(host);
  const changes: string[] = [];
  if (state.nugetProviderVersion === null || compareVersions(state.nugetProviderVersion, NUGET_MINIMUM_VERSION) < 0) {
    changes.push(`install the NuGet package provider (>= ${NUGET_MINIMUM_VERSION})`);
  }
  if (!state.psGalleryRegistered) changes.push('register the default PSGallery repository');
  if (!state.psGalleryTrusted) changes.push('trust the PSGallery repository (InstallationPolicy Trusted)');
  if (state.moduleVersion === null) {
    changes.push(`install ${HYBRID_AUTH_MODULE} >= ${minimumVersion} for all users (-AllowClobber)`);
  } else if (compareVersions(state.moduleVersion, minimumVersion) < 0) {
    changes.push(`install ${HYBRID_AUTH_MODULE} >= ${minimumVersion} for all users (-AllowClobber), side by side with ${state.moduleVersion}`);
  }
  return changes;
}

/**
 * Applies the bootstrap to the estate the way the cmdlets would, step by step: what succeeded before a failure
 * stays done (a NuGet provider installed before Install-Module failed is still installed). Returns the failure.
 */
function applyBootstrap(estate: LabEstate, minimumVersion: string): LabError | null {
  const host = estate.managementHost;
  const key = (kind: string, object: string) => `${kind}:${host.hostName}:${object}`;
  const downloadsWork = host.psGalleryReachable && (host.tls12ByDefault || SCRIPT_FORCES_TLS12);

  const nuget = host.nugetProviderVersion;
  if (nuget === null || compareVersions(nuget, NUGET_MINIMUM_VERSION) < 0) {
    if (!host.psGalleryReachable) return galleryUnreachable(host, 'Install-PackageProvider -Name NuGet', NUGET_DOWNLOAD_WARNING, NUGET_NO_MATCH);
    // Without TLS 1.2 the provider list cannot be downloaded and the cmdlet reports no match (reference §1.1).
    if (!downloadsWork) return new LabError(NUGET_NO_MATCH, 'ObjectNotFound', 'NoMatchFoundForProvider,Microsoft.PowerShell.PackageManagement.Cmdlets.InstallPackageProvider', 'NuGet');
    host.nugetProviderVersion = NUGET_LATEST_VERSION;
    recordMutation(estate, key('packageprovider', 'NuGet'));
  }

  if (!host.psGalleryRegistered || !host.psGalleryTrusted) {
    // Register-PSRepository -Default registers it untrusted; Set-PSRepository then trusts it.
    host.psGalleryRegistered = true;
    host.psGalleryTrusted = true;
    recordMutation(estate, key('psrepository', 'PSGallery'));
  }

  const installed = hostModuleState(host).moduleVersion;
  if (installed === null || compareVersions(installed, minimumVersion) < 0) {
    const command = `Install-Module -Name ${HYBRID_AUTH_MODULE}`;
    if (!downloadsWork) return galleryUnreachable(host, command, GALLERY_RESOLVE_WARNING, moduleNoMatch(HYBRID_AUTH_MODULE));
    const latest = host.galleryVersions[HYBRID_AUTH_MODULE];
    if (latest === undefined || compareVersions(latest, minimumVersion) < 0) {
      return new LabError(moduleNoMatch(HYBRID_AUTH_MODULE), 'ObjectNotFound', 'NoMatchFoundForCriteria,Microsoft.PowerShell.PackageManagement.Cmdlets.InstallPackage', HYBRID_AUTH_MODULE);
    }
    // -MinimumVersion installs the newest gallery version; -Force puts it side by side with an older one.
    host.modules.push({ name: HYBRID_AUTH_MODULE, version: latest });
    recordMutation(estate, key('module', HYBRID_AUTH_MODULE));
  }
  return null;
}

/** Mirrors powershell/host-setup/Set-HostModule.ps1. */
export const ensureHostModule: StepHandler = async (args, context) => {
  const p = bindParameters('host.ensure-module', parameters, args);
  const host = (await context.estate()).managementHost;
  const before = hostModuleState(host);
  const changes = plannedChanges(host, p.MinimumVersion);
  const answer = (after: ReturnType<typeof hostModuleState>, warnings: string[] = []) => ({
    changed: changes.length > 0,
    result: { planOnly: p.PlanOnly, changes, before, after, tlsForced: SCRIPT_FORCES_TLS12 },
    warnings,
  });

  if (changes.length === 0) return answer(before);
  if (p.PlanOnly) return answer(before, host.elevated ? [] : [notElevated(host)]);
  if (!host.elevated) throw new LabError(notElevated(host), 'PermissionDenied', 'HostNotElevated,Stop-Step', host.hostName);

  const outcome = await context.update((estate) => {
    const failure = applyBootstrap(estate, p.MinimumVersion);
    return { failure, after: hostModuleState(estate.managementHost) };
  });
  if (outcome.failure) throw outcome.failure;
  return answer(outcome.after);
};
