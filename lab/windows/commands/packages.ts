import { findModule, getInstalledModule, installModule } from './packages/modules';
import { getPackageProvider, installPackageProvider } from './packages/providers';
import { getPSRepository, registerPSRepository, setPSRepository, unregisterPSRepository } from './packages/repositories';
import type { CommandSimulation } from './types';

/**
 * PowerShellGet 2.x and PackageManagement on the management host: modules (estate.managementHost.modules, laid
 * out as module folders by lab/runtime.ts so the real Get-Module -ListAvailable sees them), the NuGet provider,
 * the PowerShell Gallery's registration and trust, and the gallery's reachability.
 */
export const packageCommands: Record<string, CommandSimulation> = {
  'Install-Module': installModule,
  'Find-Module': findModule,
  'Get-InstalledModule': getInstalledModule,
  'Get-PSRepository': getPSRepository,
  'Set-PSRepository': setPSRepository,
  'Register-PSRepository': registerPSRepository,
  'Unregister-PSRepository': unregisterPSRepository,
  'Install-PackageProvider': installPackageProvider,
  'Get-PackageProvider': getPackageProvider,
};
