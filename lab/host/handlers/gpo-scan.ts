import { z } from 'zod';
import { bindParameters } from '../bind';
import { findDomain } from '../estate-lookup';
import type { StepHandler } from '../handler';
import { gpoLinks, labParameter, passportValues, sameName } from './gpo-estate';

const parameters = z.object({ Domain: labParameter.domain });

/** Mirrors powershell/gpo/Get-GpoPassportSettings.ps1. */
export const scanPassport: StepHandler = async (args, context) => {
  const p = bindParameters('gpo.scan-passport', parameters, args);
  const { domain } = findDomain(await context.estate(), p.Domain);
  const gpos = domain.gpos
    .map((gpo) => ({ gpo, values: passportValues(gpo) }))
    .filter(({ values }) => values.length > 0)
    .map(({ gpo, values }) => ({
      id: gpo.id,
      displayName: gpo.displayName,
      status: gpo.status,
      values,
      links: gpoLinks(gpo),
      certificateTrust: values.some((v) => sameName(v.valueName, 'UseCertificateForOnPremAuth')),
      userScopeCloudTrust: values.some((v) => v.scope === 'User' && sameName(v.valueName, 'UseCloudTrustForOnPremAuth')),
    }));
  const reference = (g: { id: string; displayName: string }) => ({ id: g.id, displayName: g.displayName });
  return {
    changed: false,
    result: {
      domain: domain.dnsName,
      scannedGpoCount: domain.gpos.length,
      gpos,
      certificateTrustGpos: gpos.filter((g) => g.certificateTrust).map(reference),
      userScopeCloudTrustGpos: gpos.filter((g) => g.userScopeCloudTrust).map(reference),
      whfbGpos: gpos.map(reference),
    },
  };
};
