import { z } from 'zod';

/**
 * Where a GPO can be linked: an organizational unit or the domain itself, as a distinguished name (OU=…, then the
 * domain's DC= components). Containers such as CN=Users or CN=Computers take no GPO links, so CN= is refused.
 */
export const GPO_TARGET_PATTERN = /^(?:OU=[\p{L}\p{N}][\p{L}\p{N} _.()-]*,)*DC=[\p{L}\p{N}][\p{L}\p{N}-]*(?:,DC=[\p{L}\p{N}][\p{L}\p{N}-]*)*$/u;

export const gpoTargetSchema = z
  .string()
  .max(2048)
  .regex(GPO_TARGET_PATTERN, 'must be the distinguished name of an OU or of the domain, such as OU=Workstations,DC=corp,DC=contoso,DC=com (OU= then DC= parts in upper case; containers such as CN=Users take no GPO links)');

/** The DNS name a DN's DC= components spell: DC=corp,DC=contoso,DC=com is corp.contoso.com. */
export function dnsNameOfDn(dn: string): string {
  return dn
    .split(',')
    .filter((part) => part.startsWith('DC='))
    .map((part) => part.slice(3))
    .join('.');
}

/** Why a GPO target is not inside the domain `domain`, or undefined when it is. */
export function gpoTargetOutsideDomain(target: string, domain: string): string | undefined {
  const inDomain = dnsNameOfDn(target);
  if (inDomain.toLowerCase() === domain.toLowerCase()) return undefined;
  return `must be an OU or the domain inside ${domain} (its DC= parts spell ${inDomain}, not ${domain}: a GPO links only within its own domain)`;
}
