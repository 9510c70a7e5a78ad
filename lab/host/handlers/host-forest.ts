import { z } from 'zod';
import type { LabEstate, LabForest } from '../../estate/schema';
import { bindParameters } from '../bind';
import { LabError, type StepHandler } from '../handler';
import { labCredential } from './credential';
import { DNS_NAME_PATTERN } from '../../../model/names';

const dnsName = z.string().regex(DNS_NAME_PATTERN);

const parameters = z.object({
  Forest: dnsName,
  Server: dnsName.optional(),
  DomainCredential: labCredential.optional(),
});

/** Get-ADForest's documented failure when the server (or any DC of the named forest) cannot be contacted. */
function unableToContact(target: string): LabError {
  return new LabError(
    'Unable to contact the server. This may be because this server does not exist, it is currently down, or it does not have the Active Directory Web Services running.',
    'ResourceUnavailable',
    'ActiveDirectoryServer:0,Microsoft.ActiveDirectory.Management.Commands.GetADForest',
    target,
  );
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether -Server answers: a reachable DC by host name, or a domain with at least one reachable DC. */
function serverAnswers(estate: LabEstate, server: string): boolean {
  for (const domain of estate.forests.flatMap((f) => f.domains)) {
    if (same(domain.dnsName, server)) return domain.controllers.some((dc) => dc.reachable);
    const controller = domain.controllers.find((dc) => same(dc.hostName, server));
    if (controller) return controller.reachable;
  }
  return false;
}

/** The forest root domain: the domain named like the forest. */
function rootDomain(forest: LabForest): string {
  return (forest.domains.find((d) => same(d.dnsName, forest.name)) ?? forest.domains[0]).dnsName;
}

const sorted = (values: string[]) => [...values].sort((a, b) => a.localeCompare(b));

/** Mirrors powershell/preflight/Get-ForestInventory.ps1. */
export const forestInventory: StepHandler = async (args, context) => {
  const p = bindParameters('forest.inventory', parameters, args);
  const estate = await context.estate();
  const server = p.Server ?? p.Forest;
  if (!serverAnswers(estate, server)) throw unableToContact(server);
  const forest = estate.forests.find((f) => same(f.name, p.Forest));
  if (!forest) throw unableToContact(p.Forest);
  const controllers = forest.domains.flatMap((d) => d.controllers);
  return {
    changed: false,
    result: {
      name: forest.name,
      rootDomain: rootDomain(forest),
      domains: sorted(forest.domains.map((d) => d.dnsName)),
      sites: sorted(forest.sites),
      // Directory data: a DC that is down is still listed.
      globalCatalogs: sorted(controllers.filter((dc) => dc.isGlobalCatalog !== false).map((dc) => dc.hostName)),
    },
  };
};
