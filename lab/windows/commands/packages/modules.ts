import type { LabEstate } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import type { CommandCall, CommandContext, CommandSimulation, LabObject } from '../types';
import { catalogWarning, compareVersions, galleryModule, itemInfo, modulesPath, PSGALLERY, versionMatches } from './gallery';
import { canDownload, requireNuGet } from './nuget';
import { galleryRegistered, galleryTrusted } from './repositories';

type Scope = 'AllUsers' | 'CurrentUser';
type InstalledModule = LabEstate['managementHost']['modules'][number];

const criteriaOf = (call: CommandCall) => ({ required: call.get<string>('RequiredVersion'), minimum: call.get<string>('MinimumVersion'), maximum: call.get<string>('MaximumVersion') });
const location = (module: InstalledModule) => `${modulesPath(module.scope ?? 'AllUsers')}\\${module.name}\\${module.version}`;
const installedOf = (estate: LabEstate, name: string) =>
  estate.managementHost.modules.filter((m) => m.name.toLowerCase() === name.toLowerCase()).sort((a, b) => compareVersions(b.version, a.version));

/**
 * The search both Install-Module and Find-Module make (PackageManagement\Find-Package through the NuGet provider):
 * the repositories to search must be registered; an unreachable repository (no Internet, or a process that does
 * not offer TLS 1.2) warns "Unable to resolve package source" and then finds nothing, like a module the gallery
 * does not have (PowerShell/PowerShellGetv2#645). Returns the gallery's module, or null after writing the errors.
 */
function search(call: CommandCall, lab: CommandContext, estate: LabEstate, name: string, noMatch: string): { name: string; version: string } | null {
  const repositories = call.get<string[]>('Repository');
  if (repositories) {
    const unknown = repositories.find((r) => r.toLowerCase() !== PSGALLERY.name.toLowerCase() || !galleryRegistered(estate));
    if (unknown !== undefined) {
      lab.writeError('SourceNotFound', { repository: unknown });
      return null;
    }
  } else if (!galleryRegistered(estate)) {
    lab.warn(catalogWarning('PowerShellGet', 'NoModuleRepositories'));
    lab.writeError(noMatch, { name });
    return null;
  }
  if (!canDownload(call, estate)) {
    lab.warn(catalogWarning('PowerShellGet', 'UnableToResolvePackageSource', { location: PSGALLERY.sourceLocation }));
    lab.writeError(noMatch, { name });
    return null;
  }
  const found = galleryModule(estate, name);
  if (!found || !versionMatches(found.version, criteriaOf(call))) {
    lab.writeError(noMatch, { name });
    return null;
  }
  return found;
}

/**
 * Install-Module (PowerShellGet 2.x Install-Module.ps1 and the PSModule provider's Install-Package): -Scope
 * AllUsers needs an elevated session; without -Scope, Windows PowerShell installs for all users when elevated,
 * else for the current user. Then the NuGet bootstrap, the search, the untrusted-repository prompt (unless -Force
 * or the repository is Trusted), and the check of what is installed: without -Force an installed version that
 * does not meet the request only warns (ModuleAlreadyInstalledSxS), one that does is left alone; -Force installs
 * the gallery's version side by side. -AllowClobber is accepted; the lab does not model the commands modules
 * export, so no clobber check happens. Writes nothing unless -PassThru.
 */
export const installModule: CommandSimulation = async (call, lab) => {
  if (call.parameterSet !== 'NameParameterSet') throw new Error('Install-Module -InputObject is not simulated');
  const estate = await lab.read();
  const host = estate.managementHost;
  const given = call.get<Scope>('Scope');
  if (given === 'AllUsers' && !host.elevated) {
    lab.fail('InstallModuleAdminPrivilegeRequiredForAllUsersScope', { allUsersPath: modulesPath('AllUsers'), currentUserPath: modulesPath('CurrentUser') });
  }
  const scope: Scope = given ?? (host.elevated ? 'AllUsers' : 'CurrentUser');
  requireNuGet(lab, estate);
  const force = Boolean(call.get<boolean>('Force'));
  const output: LabObject[] = [];
  for (const name of call.get<string[]>('Name') ?? []) {
    const found = search(call, lab, estate, name, 'NoMatchFoundForCriteria');
    if (!found) continue;
    if (!force && !galleryTrusted(estate)) lab.fail('NuGetBootstrapPromptNonInteractive');
    const installed = installedOf(estate, found.name);
    const criteria = criteriaOf(call);
    if (!force && installed.length > 0) {
      const highest = installed[0];
      const at = { name: found.name, installedVersion: highest.version, installedLocation: location(highest), galleryVersion: found.version };
      if (criteria.required !== undefined) {
        if (installed.some((m) => compareVersions(m.version, criteria.required!) === 0)) {
          lab.warn(catalogWarning('PowerShellGet', 'ModuleWithRequiredVersionAlreadyInstalled', at));
          continue;
        }
      } else {
        const outdated = criteria.minimum !== undefined ? compareVersions(highest.version, criteria.minimum) < 0 : compareVersions(highest.version, found.version) !== 0;
        if (outdated) lab.warn(catalogWarning('PowerShellGet', 'ModuleAlreadyInstalledSxS', at));
        continue;
      }
    }
    const module: InstalledModule = { name: found.name, version: found.version, ...(scope === 'CurrentUser' ? { scope } : {}) };
    await lab.update((current) => {
      if (installedOf(current, found.name).some((m) => compareVersions(m.version, found.version) === 0)) return;
      current.managementHost.modules.push(module);
      recordMutation(current, `module:${current.managementHost.hostName}:${found.name}`);
    });
    if (call.get<boolean>('PassThru')) output.push(itemInfo(lab, module, PSGALLERY.name, location(module)));
  }
  return output;
};

/** Find-Module: the gallery's module (one version per module in the lab's gallery); no match is a non-terminating error. */
export const findModule: CommandSimulation = async (call, lab) => {
  const estate = await lab.read();
  requireNuGet(lab, estate);
  const output: LabObject[] = [];
  for (const name of call.get<string[]>('Name') ?? []) {
    const found = search(call, lab, estate, name, 'FindModuleNoMatch');
    if (found) output.push(itemInfo(lab, found, PSGALLERY.name));
  }
  return output;
};

/**
 * Get-InstalledModule: the modules Install-Module installed (PowerShellGet's own records; a module copied into
 * place is unknown to it: managementHost.modules[].repository null), the highest version of each unless
 * -AllVersions. A -Name without wildcards that matches none is a non-terminating error.
 */
export const getInstalledModule: CommandSimulation = async (call, lab) => {
  const estate = await lab.read();
  const known = estate.managementHost.modules.filter((m) => m.repository !== null);
  const criteria = criteriaOf(call);
  const pick = (modules: InstalledModule[]) => {
    const matching = modules.filter((m) => versionMatches(m.version, criteria)).sort((a, b) => compareVersions(b.version, a.version));
    return call.get<boolean>('AllVersions') ? matching : matching.slice(0, 1);
  };
  const names = call.get<string[]>('Name') ?? [...new Set(known.map((m) => m.name))];
  const output: LabObject[] = [];
  for (const name of names) {
    const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    const byName = new Map<string, InstalledModule[]>();
    for (const module of known.filter((m) => pattern.test(m.name))) byName.set(module.name, [...(byName.get(module.name) ?? []), module]);
    const found = [...byName.values()].flatMap(pick);
    if (found.length === 0 && !/[*?]/.test(name)) lab.writeError('GetInstalledModuleNoMatch', { name });
    output.push(...found.map((m) => itemInfo(lab, m, m.repository ?? PSGALLERY.name, location(m))));
  }
  return output;
};
