import type { LabEstate } from '../../../estate/schema';
import { recordMutation } from '../../../estate/store';
import type { CommandContext, CommandSimulation, LabObject } from '../types';
import { catalogWarning, PSGALLERY } from './gallery';
import { requireNuGet } from './nuget';

/**
 * The repositories of the session's account (PowerShellGet keeps them per user). The lab's estate knows the
 * PowerShell Gallery only: registered or not (managementHost.psGalleryRegistered), trusted or not
 * (managementHost.psGalleryTrusted, meaningful while registered).
 */
export function galleryRegistered(estate: LabEstate): boolean {
  return estate.managementHost.psGalleryRegistered;
}

export function galleryTrusted(estate: LabEstate): boolean {
  return estate.managementHost.psGalleryRegistered && estate.managementHost.psGalleryTrusted;
}

const isGallery = (name: string) => name.toLowerCase() === PSGALLERY.name.toLowerCase();
const mutationKey = (estate: LabEstate) => `psrepository:${estate.managementHost.hostName}:${PSGALLERY.name}`;

function repositoryObject(lab: CommandContext, estate: LabEstate): LabObject {
  const trusted = galleryTrusted(estate);
  return lab.object('Microsoft.PowerShell.Commands.PSRepository', {
    Name: PSGALLERY.name,
    SourceLocation: PSGALLERY.sourceLocation,
    Trusted: trusted,
    Registered: true,
    InstallationPolicy: trusted ? 'Trusted' : 'Untrusted',
    PackageManagementProvider: 'NuGet',
    PublishLocation: PSGALLERY.publishLocation,
    ScriptSourceLocation: PSGALLERY.scriptSourceLocation,
    ScriptPublishLocation: PSGALLERY.scriptPublishLocation,
    ProviderOptions: {},
  });
}

/**
 * Get-PSRepository [-Name]: no repository at all warns "Unable to find module repositories."; an unknown -Name is a
 * non-terminating error. The in-box PowerShellGet 1.0.0.1 asks for the NuGet bootstrap first (inferred, row 26).
 */
export const getPSRepository: CommandSimulation = async (call, lab) => {
  const estate = await lab.read();
  if (estate.managementHost.inboxPowerShellGet) requireNuGet(lab, estate);
  const names = call.get<string[]>('Name');
  if (!names) {
    if (!galleryRegistered(estate)) {
      lab.warn(catalogWarning('PowerShellGet', 'NoModuleRepositories'));
      return [];
    }
    return [repositoryObject(lab, estate)];
  }
  const output: LabObject[] = [];
  for (const name of names) {
    const wildcard = /[*?]/.test(name);
    const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (galleryRegistered(estate) && pattern.test(PSGALLERY.name)) output.push(repositoryObject(lab, estate));
    else if (!wildcard) lab.writeError('RepositorySourceNotFound', { repository: name, PackageManagementClass: 'GetPackageSource' });
  }
  return output;
};

/** Set-PSRepository -Name -InstallationPolicy: bootstraps NuGet first; an unregistered name is RepositoryNotFound. */
export const setPSRepository: CommandSimulation = async (call, lab) => {
  const estate = await lab.read();
  requireNuGet(lab, estate);
  const name = call.get<string>('Name')!;
  if (!isGallery(name) || !galleryRegistered(estate)) lab.fail('RepositoryNotFound', { name }, { targetObject: name });
  for (const other of ['SourceLocation', 'PublishLocation', 'ScriptSourceLocation', 'ScriptPublishLocation', 'Credential', 'PackageManagementProvider', 'Proxy', 'ProxyCredential']) {
    if (call.has(other)) throw new Error(`Set-PSRepository -${other} is not simulated`);
  }
  const policy = call.get<string>('InstallationPolicy');
  if (policy === undefined) return [];
  await lab.update((current) => {
    const trusted = policy === 'Trusted';
    if (galleryTrusted(current) === trusted) return;
    current.managementHost.psGalleryTrusted = trusted;
    recordMutation(current, mutationKey(current));
  });
  return [];
};

/**
 * Register-PSRepository -Default [-InstallationPolicy]: registers the PowerShell Gallery, Untrusted unless told
 * otherwise. The gallery's name through -Name/-SourceLocation is refused; other repositories are not modelled.
 */
export const registerPSRepository: CommandSimulation = async (call, lab) => {
  const estate = await lab.read();
  requireNuGet(lab, estate);
  if (call.parameterSet !== 'PSGalleryParameterSet') {
    if (isGallery(call.get<string>('Name') ?? '')) lab.fail('UseDefaultParameterSetOnRegisterPSRepository');
    throw new Error('Register-PSRepository of a repository other than the PowerShell Gallery is not simulated');
  }
  if (galleryRegistered(estate)) lab.fail('RepositoryAlreadyRegistered', { name: PSGALLERY.name });
  await lab.update((current) => {
    if (galleryRegistered(current)) return;
    current.managementHost.psGalleryRegistered = true;
    current.managementHost.psGalleryTrusted = call.get<string>('InstallationPolicy') === 'Trusted';
    recordMutation(current, mutationKey(current));
  });
  return [];
};

/** Unregister-PSRepository -Name: an unknown name is a non-terminating error. */
export const unregisterPSRepository: CommandSimulation = async (call, lab) => {
  for (const name of call.get<string[]>('Name') ?? []) {
    const estate = await lab.read();
    if (!isGallery(name) || !galleryRegistered(estate)) {
      lab.writeError('RepositorySourceNotFound', { repository: name, PackageManagementClass: 'UnregisterPackageSource' });
      continue;
    }
    await lab.update((current) => {
      if (!galleryRegistered(current)) return;
      current.managementHost.psGalleryRegistered = false;
      current.managementHost.psGalleryTrusted = false;
      recordMutation(current, mutationKey(current));
    });
  }
  return [];
};
