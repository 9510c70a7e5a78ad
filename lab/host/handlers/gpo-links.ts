import { z } from 'zod';
import type { LabDomain, LabGpo } from '../../estate/schema';
import { recordMutation } from '../../estate/store';
import { bindParameters } from '../bind';
import { findDomain } from '../estate-lookup';
import type { StepHandler } from '../handler';
import { adIdentityNotFound, findGpo, findLinkTarget, gpoLinks, gpoNotFound, inDomain, labParameter, linkTargetOutsideDomain, sameDn } from './gpo-estate';
import { settle } from './gpo-set-step';

const parameters = z.object({
  Domain: labParameter.domain,
  GpoName: labParameter.gpoName,
  Targets: labParameter.targets,
  PlanOnly: labParameter.planOnly,
});
type Parameters = z.infer<typeof parameters>;

const linkState = (gpo: LabGpo | undefined) => (gpo ? { id: gpo.id, links: gpoLinks(gpo) } : null);

/** New-GPLink without -Order: the new link comes last among the target's links. */
function nextOrder(domain: LabDomain, target: string): number {
  const orders = domain.gpos.flatMap((g) => g.links.filter((l) => sameDn(l.target, target)).map((l) => l.order));
  return Math.max(0, ...orders) + 1;
}

function wantedTargets(domain: LabDomain, targets: string[]): string[] {
  const wanted: string[] = [];
  for (const target of targets) {
    if (!inDomain(domain, target)) throw linkTargetOutsideDomain(domain, target);
    if (!wanted.some((w) => sameDn(w, target))) wanted.push(target);
  }
  return wanted;
}

function evaluateLinks(domain: LabDomain, p: Parameters, onLinked: (gpo: LabGpo, target: string) => void) {
  const wanted = wantedTargets(domain, p.Targets);
  const gpo = findGpo(domain, p.GpoName);
  if (!gpo && !p.PlanOnly) throw gpoNotFound(domain, p.GpoName);
  const changes: string[] = [];
  const toCreate: string[] = [];
  const toEnable: string[] = [];
  for (const target of wanted) {
    const link = gpo?.links.find((l) => sameDn(l.target, target));
    if (!link) {
      const stored = findLinkTarget(domain, target);
      if (!stored) throw adIdentityNotFound(domain, target, 'GetADObject');
      changes.push(`link GPO '${p.GpoName}' to ${target} (enabled)`);
      toCreate.push(stored);
    } else if (!link.enabled) {
      changes.push(`enable the disabled link of GPO '${p.GpoName}' on ${link.target}`);
      toEnable.push(link.target);
    }
  }
  return {
    before: linkState(gpo),
    changes,
    warnings: [],
    apply() {
      if (!gpo) throw gpoNotFound(domain, p.GpoName);
      for (const target of toCreate) {
        gpo.links.push({ target, order: nextOrder(domain, target), enabled: true, enforced: false });
        onLinked(gpo, target);
      }
      for (const target of toEnable) {
        const link = gpo.links.find((l) => sameDn(l.target, target))!;
        link.enabled = true;
        onLinked(gpo, link.target);
      }
      return linkState(gpo);
    },
  };
}

/** Mirrors powershell/gpo/Set-GpoPassportLinks.ps1. */
export const ensureLinks: StepHandler = async (args, context) => {
  const p = bindParameters('gpo.ensure-links', parameters, args);
  return settle(context, p.PlanOnly, (estate) => {
    const { domain } = findDomain(estate, p.Domain);
    return evaluateLinks(domain, p, (gpo, target) => recordMutation(estate, `gpolink:${domain.dnsName}:${gpo.displayName}:${target}`));
  });
};
