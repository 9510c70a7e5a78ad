import fc from 'fast-check';

type Schema = Record<string, any>;

/** Arrays are kept short: the instances are requests, and a few items exercise every rule an item has. */
const MAX_GENERATED_ITEMS = 3;

/** A pattern's leading length lookahead, ^(?=.{1,253}$), which fast-check cannot generate from: applied as a filter. */
const LENGTH_LOOKAHEAD = /^\^\(\?=\.\{(\d+),(\d+)\}\$\)/;

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Number.MAX_SAFE_INTEGER;
  if (!schema.pattern) return fc.string({ minLength: min, maxLength: Math.min(max, 40), unit: 'grapheme' });
  let pattern = String(schema.pattern);
  let [low, high] = [min, max];
  const lookahead = LENGTH_LOOKAHEAD.exec(pattern);
  if (lookahead) {
    pattern = `^${pattern.slice(lookahead[0].length)}`;
    [low, high] = [Math.max(low, Number(lookahead[1])), Math.min(high, Number(lookahead[2]))];
  }
  return fc.stringMatching(new RegExp(pattern, 'u')).filter((s) => s.length >= low && s.length <= high);
}

/** Instances of a JSON Schema (the subset zod emits: $ref, oneOf/anyOf, const, enum, objects, records, arrays, strings, numbers). */
export function arbitraryOf(schema: Schema, resolve: (ref: string) => Schema): fc.Arbitrary<unknown> {
  if (schema.$ref) return fc.constant(null).chain(() => arbitraryOf(resolve(schema.$ref), resolve));
  if (schema.oneOf || schema.anyOf) return fc.oneof(...(schema.oneOf ?? schema.anyOf).map((s: Schema) => arbitraryOf(s, resolve)));
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'string':
      return stringArbitrary(schema);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      return fc.array(arbitraryOf(schema.items ?? {}, resolve), { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? MAX_GENERATED_ITEMS, MAX_GENERATED_ITEMS)) });
    }
    case 'object': {
      if (!schema.properties && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        const keys = schema.propertyNames ? (stringArbitrary({ type: 'string', ...schema.propertyNames })) : fc.string({ minLength: 1, maxLength: 10 });
        return fc.dictionary(keys, arbitraryOf(schema.additionalProperties, resolve), { maxKeys: MAX_GENERATED_ITEMS });
      }
      const required = new Set<string>(schema.required ?? []);
      // A property whose schema is `not: {}` can never be present.
      const present = Object.entries(schema.properties ?? {}).filter(([, s]) => !(s as Schema).not);
      const record = Object.fromEntries(present.map(([key, s]) => [key, arbitraryOf(s as Schema, resolve)]));
      return fc.record(record, { requiredKeys: present.map(([key]) => key).filter((key) => required.has(key)) });
    }
    default:
      return fc.anything();
  }
}
