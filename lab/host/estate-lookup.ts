import type { LabDomain, LabEstate, LabForest } from '../estate/schema';
import { LabError } from './handler';

/** The domain and its forest, or the error Get-ADDomain gives for a domain it cannot reach. */
export function findDomain(estate: LabEstate, dnsName: string): { forest: LabForest; domain: LabDomain } {
  for (const forest of estate.forests) {
    const domain = forest.domains.find((d) => d.dnsName.toLowerCase() === dnsName.toLowerCase());
    if (domain) return { forest, domain };
  }
  throw new LabError(
    'Unable to contact the server. This may be because this server does not exist, it is currently down, or it does not have the Active Directory Web Services running.',
    'ResourceUnavailable',
    'ActiveDirectoryServer:0,Microsoft.ActiveDirectory.Management.Commands.GetADDomain',
    dnsName,
  );
}
