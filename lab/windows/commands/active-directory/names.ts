import { createHash } from 'node:crypto';

/** Names compare case-insensitively, as the directory and PowerShell's -eq do. */
export const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A DN as the directory compares it: case-insensitive, blanks around the separators ignored (RFC 4514 §3). */
export function dnKey(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((rdn) => rdn.trim().replace(/\s*=\s*/, '='))
    .join(',')
    .toLowerCase();
}

export const sameDn = (a: string, b: string) => dnKey(a) === dnKey(b);

/** The RDNs of a DN, split on unescaped commas. */
export function rdns(dn: string): string[] {
  return dn.split(/(?<!\\),/).map((rdn) => rdn.trim());
}

export function parentDn(dn: string): string | null {
  const parts = rdns(dn);
  return parts.length > 1 ? parts.slice(1).join(',') : null;
}

/** The value of the first RDN (CN=Users,... -> Users). */
export function rdnValue(dn: string): string {
  const first = rdns(dn)[0] ?? '';
  return first.slice(first.indexOf('=') + 1).replace(/\\(.)/g, '$1');
}

/** Whether `dn` is `base` or lies below it. */
export function isUnder(dn: string, base: string): boolean {
  const d = dnKey(dn);
  const b = dnKey(base);
  return d === b || d.endsWith(`,${b}`);
}

export const dnsToDn = (dns: string) => dns.split('.').map((label) => `DC=${label}`).join(',');

/** A stable GUID for a directory object (the estate does not store object GUIDs). */
export function stableGuid(seed: string): string {
  const hex = createHash('sha256').update(seed.toLowerCase()).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A stable number in [0, modulo) derived from a seed. */
export function stableNumber(seed: string, modulo: number): number {
  return parseInt(createHash('sha256').update(seed.toLowerCase()).digest('hex').slice(0, 12), 16) % modulo;
}
