import { z } from 'zod';
import type { LabEstate } from '../../estate/schema';
import { bindParameters } from '../bind';
import type { StepHandler } from '../handler';

export const HYBRID_AUTH_MODULE = 'AzureADHybridAuthenticationManagement';
export const VERSION_PATTERN = /^\d+(\.\d+){1,3}$/;

type ManagementHost = LabEstate['managementHost'];

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

/** Installed versions of a module, highest first (Get-Module -ListAvailable | Sort-Object Version -Descending). */
export function installedVersions(host: ManagementHost, name: string): string[] {
  const versions = host.modules.filter((m) => m.name.toLowerCase() === name.toLowerCase()).map((m) => m.version);
  return [...new Set(versions)].sort((a, b) => compareVersions(b, a));
}

/** What Set-HostModule.ps1 reads before and after it changes anything. */
export function hostModuleState(host: ManagementHost) {
  return {
    moduleVersion: installedVersions(host, HYBRID_AUTH_MODULE)[0] ?? null,
    nugetProviderVersion: host.nugetProviderVersion,
    psGalleryRegistered: host.psGalleryRegistered,
    psGalleryTrusted: host.psGalleryRegistered && host.psGalleryTrusted,
  };
}

/** The edition the bridge runs: the first one the estate lists (Windows PowerShell 5.1 on a typical management host). */
export function runningEdition(host: ManagementHost): { edition: string; version: string } {
  return host.editions[0] ?? { edition: 'Desktop', version: '5.1.17763.6293' };
}

/** [Net.ServicePointManager]::SecurityProtocol of a fresh process. */
export function defaultSecurityProtocol(host: ManagementHost): string {
  return host.tls12ByDefault ? 'Tls12' : 'Ssl3, Tls';
}

const parameters = z.object({
  MinimumVersion: z.string().regex(VERSION_PATTERN).default('2.1.1.0'),
});

/** Mirrors powershell/host-setup/Get-HostModuleState.ps1. */
export const hostModule: StepHandler = async (args, context) => {
  const p = bindParameters('host.module', parameters, args);
  const host = (await context.estate()).managementHost;
  const versions = installedVersions(host, HYBRID_AUTH_MODULE);
  const highest = versions[0] ?? null;
  const protocol = defaultSecurityProtocol(host);
  return {
    changed: false,
    result: {
      hostName: host.hostName,
      powerShell: runningEdition(host),
      elevated: host.elevated,
      module: {
        name: HYBRID_AUTH_MODULE,
        installed: highest !== null,
        version: highest,
        versions,
        // The lab's modules all come from Install-Module against PSGallery.
        repository: highest === null ? null : 'PSGallery',
        minimumVersion: p.MinimumVersion,
        meetsMinimum: highest !== null && compareVersions(highest, p.MinimumVersion) >= 0,
      },
      nugetProvider: { installed: host.nugetProviderVersion !== null, version: host.nugetProviderVersion },
      psGallery: { registered: host.psGalleryRegistered, trusted: host.psGalleryRegistered && host.psGalleryTrusted },
      tls: { securityProtocol: protocol, tls12Enabled: host.tls12ByDefault },
    },
  };
};
