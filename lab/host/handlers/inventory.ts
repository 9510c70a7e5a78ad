import { z } from 'zod';
import { bindParameters } from '../bind';
import { findDomain } from '../estate-lookup';
import type { StepHandler } from '../handler';
import { labCredential } from './credential';
import { DNS_NAME_PATTERN } from '../../../model/names';

const parameters = z.object({
  Domain: z.string().regex(DNS_NAME_PATTERN),
  DomainCredential: labCredential.optional(),
});

/** Mirrors powershell/preflight/Get-DomainInventory.ps1. */
export const domainInventory: StepHandler = async (args, context) => {
  const p = bindParameters('domain.inventory', parameters, args);
  const estate = await context.estate();
  const { forest, domain } = findDomain(estate, p.Domain);
  return {
    changed: false,
    result: {
      domain: { dnsRoot: domain.dnsName, netBiosName: domain.netBiosName, distinguishedName: domain.distinguishedName, domainMode: domain.functionalLevel, forest: forest.name },
      forestSites: forest.sites,
      controllers: domain.controllers.map((dc) => ({
        hostName: dc.hostName,
        name: dc.hostName.split('.')[0].toUpperCase(),
        site: dc.site,
        isReadOnly: dc.isReadOnly,
        operatingSystem: dc.operatingSystem,
        operatingSystemVersion: `10.0 (${dc.currentBuild})`,
        currentBuild: dc.reachable ? dc.currentBuild : null,
        ubr: dc.reachable ? dc.ubr : null,
        supportedEncryptionTypes: dc.reachable ? dc.supportedEncryptionTypes : null,
        reachable: dc.reachable,
        error: dc.reachable ? null : `Connecting to remote server ${dc.hostName} failed with the following error message : WinRM cannot complete the operation.`,
      })),
    },
  };
};
