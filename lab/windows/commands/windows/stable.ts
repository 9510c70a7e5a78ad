import { createHash } from 'node:crypto';

/** Values the estate does not store (device ids, key ids, record numbers) derived from a seed, so every run shows the same ones. */
function digest(seed: string): string {
  return createHash('sha256').update(seed.toLowerCase()).digest('hex');
}

/** A stable GUID (version-4 layout), lower case, D format. */
export function stableGuid(seed: string): string {
  const hex = digest(seed);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A stable number in [0, modulo). */
export function stableNumber(seed: string, modulo: number): number {
  return parseInt(digest(seed).slice(0, 12), 16) % modulo;
}

/** A stable upper-case hex string of `length` characters (thumbprints). */
export function stableHex(seed: string, length: number): string {
  let hex = '';
  for (let round = 0; hex.length < length; round += 1) hex += digest(`${seed}#${round}`);
  return hex.slice(0, length).toUpperCase();
}
