/**
 * Keys that name parts of every JavaScript object. In a map (routing.forests, routing.domains) such a key would be
 * dropped by validation, or reach a lookup as an inherited member; in any other place it is never a real field.
 * Input that has one is refused, with where.
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** `where: what` for every own reserved key in a parsed JSON or YAML value (JSON.parse and YAML keep them as own keys). */
export function reservedKeyProblems(value: unknown, root = ''): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, where: string, depth: number) => {
    if (depth > 64 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${where}[${i}]`, depth + 1));
      return;
    }
    for (const key of Object.keys(node)) {
      const at = where ? `${where}.${key}` : key;
      if (RESERVED_KEYS.includes(key)) problems.push(`${at}: ${key} is a reserved name in JavaScript objects and cannot be a key`);
      else visit((node as Record<string, unknown>)[key], at, depth + 1);
    }
  };
  visit(value, root, 0);
  return problems;
}

/** A map key that is none of RESERVED_KEYS: for the key schema of every record a request or spec holds. */
export const NOT_RESERVED_KEY_PATTERN = new RegExp(`^(?!(?:${RESERVED_KEYS.join('|')})$)`);

/** The same entries in an object without a prototype, so no lookup by key reaches an inherited member. */
export function withoutPrototype<V>(record: Record<string, V>): Record<string, V> {
  return Object.assign(Object.create(null) as Record<string, V>, record);
}
