import type { LabComputer } from './computers';

/** A registry value as the registry provider returns it (catalog Windows.json registry.valueKinds). */
export interface RegistryValue {
  name: string;
  kind: 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_DWORD' | 'REG_QWORD' | 'REG_MULTI_SZ';
  value: string | number | string[];
}

/**
 * DisplayVersion / ReleaseId by build (Windows 10, Windows 11 and Windows Server release information pages;
 * DisplayVersion exists from Windows 10 20H2, ReleaseId stays "2009" from then on).
 */
const RELEASES: Record<number, { displayVersion?: string; releaseId?: string }> = {
  14393: { releaseId: '1607' },
  17763: { releaseId: '1809' },
  19041: { releaseId: '2004' },
  19042: { displayVersion: '20H2', releaseId: '2009' },
  19043: { displayVersion: '21H1', releaseId: '2009' },
  19044: { displayVersion: '21H2', releaseId: '2009' },
  19045: { displayVersion: '22H2', releaseId: '2009' },
  20348: { displayVersion: '21H2', releaseId: '2009' },
  22000: { displayVersion: '21H2', releaseId: '2009' },
  22621: { displayVersion: '22H2', releaseId: '2009' },
  22631: { displayVersion: '23H2', releaseId: '2009' },
  26100: { displayVersion: '24H2', releaseId: '2009' },
};

export function osBuildOf(computer: LabComputer): { build: number; ubr: number } {
  if (computer.kind === 'controller') return { build: computer.controller.currentBuild, ubr: computer.controller.ubr };
  if (computer.kind === 'device') {
    const [build, ubr] = computer.device.osBuild.split('.').map(Number);
    return { build, ubr };
  }
  throw new Error('the management host has no simulated OS build');
}

/** ProductName, EditionID and InstallationType of a DC from its AD operatingSystem; devices are Enterprise clients. */
function edition(computer: LabComputer): { productName: string; editionId: string; installationType: string } {
  if (computer.kind === 'controller') {
    const productName = computer.controller.operatingSystem;
    const sku = /Datacenter/i.test(productName) ? 'ServerDatacenter' : 'ServerStandard';
    return { productName, editionId: sku, installationType: 'Server' };
  }
  // Windows 11 keeps "Windows 10" in ProductName (catalog registry note).
  return { productName: 'Windows 10 Enterprise', editionId: 'Enterprise', installationType: 'Client' };
}

/** HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion: CurrentBuild is a REG_SZ, UBR a REG_DWORD. */
export function currentVersionValues(computer: LabComputer): RegistryValue[] {
  const { build, ubr } = osBuildOf(computer);
  const { productName, editionId, installationType } = edition(computer);
  const release = RELEASES[build] ?? {};
  const values: RegistryValue[] = [
    { name: 'SystemRoot', kind: 'REG_SZ', value: 'C:\\Windows' },
    { name: 'CurrentBuild', kind: 'REG_SZ', value: String(build) },
    { name: 'CurrentBuildNumber', kind: 'REG_SZ', value: String(build) },
  ];
  // CurrentMajor/MinorVersionNumber exist from Windows 10 / Server 2016 (build 10240) on.
  if (build >= 10240) {
    values.push({ name: 'CurrentMajorVersionNumber', kind: 'REG_DWORD', value: 10 }, { name: 'CurrentMinorVersionNumber', kind: 'REG_DWORD', value: 0 });
  }
  values.push({ name: 'CurrentType', kind: 'REG_SZ', value: 'Multiprocessor Free' }, { name: 'CurrentVersion', kind: 'REG_SZ', value: '6.3' });
  if (release.displayVersion) values.push({ name: 'DisplayVersion', kind: 'REG_SZ', value: release.displayVersion });
  values.push({ name: 'EditionID', kind: 'REG_SZ', value: editionId }, { name: 'InstallationType', kind: 'REG_SZ', value: installationType }, { name: 'ProductName', kind: 'REG_SZ', value: productName });
  if (release.releaseId) values.push({ name: 'ReleaseId', kind: 'REG_SZ', value: release.releaseId });
  values.push({ name: 'SoftwareType', kind: 'REG_SZ', value: 'System' }, { name: 'UBR', kind: 'REG_DWORD', value: ubr }, { name: 'PathName', kind: 'REG_SZ', value: 'C:\\Windows' });
  return values;
}
