import { z } from 'zod';
import type { LabDomain, LabGpo } from '../../estate/schema';
import { recordMutation } from '../../estate/store';
import { bindParameters } from '../bind';
import { findDomain } from '../estate-lookup';
import { LabError, type StepHandler } from '../handler';
import { findGpo, gpoLinks, labParameter, passportValues, POLICY_KEY, sameDn, sameKey, sameName, setDword } from './gpo-estate';
import { settle } from './gpo-set-step';

const parameters = z.object({
  Domain: labParameter.domain,
  GpoName: labParameter.gpoName,
  // ValidateSet('unlink', 'disable') compares case-insensitively.
  Mode: z
    .string()
    .regex(/^(unlink|disable)$/i, "The argument does not belong to the set 'unlink,disable' specified by the ValidateSet attribute.")
    .transform((mode) => mode.toLowerCase() as 'unlink' | 'disable'),
  Targets: labParameter.targets.optional(),
  PlanOnly: labParameter.planOnly,
});
type Parameters = z.infer<typeof parameters>;

const rollbackState = (gpo: LabGpo | undefined) => (gpo ? { id: gpo.id, displayName: gpo.displayName, values: passportValues(gpo), links: gpoLinks(gpo) } : null);

function evaluateRollback(domain: LabDomain, p: Parameters, onChanged: (gpo: LabGpo, objectKey: string | null) => void) {
  const gpo = findGpo(domain, p.GpoName);
  const changes: string[] = [];
  const warnings: string[] = [];
  const toUnlink: string[] = [];
  let disable = false;
  if (!gpo) {
    warnings.push(`GPO '${p.GpoName}' was not found in ${p.Domain}: nothing to roll back`);
  } else if (p.Mode === 'unlink') {
    for (const target of p.Targets ?? []) {
      const link = gpo.links.find((l) => sameDn(l.target, target));
      if (link && !toUnlink.includes(link.target)) {
        changes.push(`unlink GPO '${p.GpoName}' from ${link.target}`);
        toUnlink.push(link.target);
      }
    }
  } else {
    const enabled = passportValues(gpo).find((v) => sameKey(v.key, POLICY_KEY) && sameName(v.valueName, 'Enabled'));
    if (!(enabled && enabled.type === 'DWord' && Number(enabled.value) === 0)) {
      changes.push(
        `set ${POLICY_KEY}\\Enabled = 0 (DWord), was ${enabled ? String(enabled.value) : 'not set'}: clients stop provisioning Windows Hello for Business; UseCloudTrustForOnPremAuth is kept`,
      );
      disable = true;
    }
  }
  return {
    before: rollbackState(gpo),
    changes,
    warnings,
    apply() {
      if (!gpo) return null;
      for (const target of toUnlink) {
        gpo.links = gpo.links.filter((l) => l.target !== target);
        onChanged(gpo, target);
      }
      if (disable) {
        setDword(gpo, POLICY_KEY, 'Enabled', 0);
        onChanged(gpo, null);
      }
      return rollbackState(gpo);
    },
  };
}

/** Mirrors powershell/gpo/Undo-GpoPassportPolicy.ps1. */
export const rollback: StepHandler = async (args, context) => {
  const p = bindParameters('gpo.rollback', parameters, args);
  if (p.Mode === 'unlink' && !p.Targets) throw new LabError('unlink needs the targets to unlink the GPO from', 'InvalidArgument', 'UnlinkWithoutTargets', 'Targets');
  return settle(context, p.PlanOnly, (estate) => {
    const { domain } = findDomain(estate, p.Domain);
    return evaluateRollback(domain, p, (gpo, target) =>
      recordMutation(estate, target === null ? `gpo:${domain.dnsName}:${gpo.displayName}` : `gpolink:${domain.dnsName}:${gpo.displayName}:${target}`),
    );
  });
};
