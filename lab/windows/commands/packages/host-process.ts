import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LabEstate } from '../../../estate/schema';

/**
 * What one lab PowerShell process of the management host is, beyond the estate: the TLS versions it offers
 * ([Net.ServicePointManager]::SecurityProtocol, a process-wide .NET setting a script may change). The lab's host
 * module (lab/windows/powershell/Cloudtrust.Lab.Host) records every value the process sets in
 * `<processStateDir>/<pid>.json`; the service reads it by the calling process id.
 */
export function processStateDir(): string {
  return path.join(tmpdir(), 'cloudtrust-lab-processes');
}

/** System.Net.SecurityProtocolType flags. */
export const SECURITY_PROTOCOL = { SystemDefault: 0, Ssl3: 48, Tls: 192, Tls11: 768, Tls12: 3072, Tls13: 12288 } as const;

/**
 * The .NET Framework 4.x default of a fresh process: Ssl3, Tls; with the strong-crypto registry values Tls, Tls11,
 * Tls12; SystemDefault with SystemDefaultTlsVersions on .NET 4.7+ (https://learn.microsoft.com/dotnet/framework/network-programming/tls).
 */
export function defaultSecurityProtocol(estate: LabEstate): number {
  const { SystemDefault, Ssl3, Tls, Tls11, Tls12 } = SECURITY_PROTOCOL;
  if (estate.managementHost.tlsSystemDefault) return SystemDefault;
  return estate.managementHost.tls12ByDefault ? Tls | Tls11 | Tls12 : Ssl3 | Tls;
}

/** The SecurityProtocol the calling process has now (its default when it recorded nothing). */
export function securityProtocolOf(estate: LabEstate, pid: number): number {
  try {
    const state = JSON.parse(readFileSync(path.join(processStateDir(), `${pid}.json`), 'utf8')) as { securityProtocol?: unknown };
    if (typeof state.securityProtocol === 'number') return state.securityProtocol;
  } catch {
    // No record: a process started without the host module keeps the default.
  }
  return defaultSecurityProtocol(estate);
}

/**
 * Whether a TLS connection to the PowerShell Gallery or the provider feed can be made: both accept TLS 1.2 and
 * later only (https://devblogs.microsoft.com/powershell/powershell-gallery-tls-support/). SystemDefault leaves the
 * choice to the OS (Schannel), which offers TLS 1.2 on every supported Windows Server.
 */
export function offersTls12(securityProtocol: number): boolean {
  const { SystemDefault, Tls12, Tls13 } = SECURITY_PROTOCOL;
  return securityProtocol === SystemDefault || (securityProtocol & (Tls12 | Tls13)) !== 0;
}
