import { z } from 'zod';

/**
 * Query parameters arrive as text and are parsed by zod from it; their published schema is the value a client
 * sends (an integer, a list of enum values in one comma-separated parameter), with the same bounds, so a request
 * generated from the OpenAPI document is never refused for a reason the document could have said.
 */
const published = new WeakMap<z.ZodType, Record<string, unknown>>();

function publish<S extends z.ZodType>(schema: S, json: Record<string, unknown>): S {
  published.set(schema, json);
  return schema;
}

/** A whole number from min to max, written in decimal digits. */
export function queryInteger(min: number, max: number) {
  const digits = String(max).length;
  const schema = z
    .string()
    .regex(new RegExp(`^\\d{1,${digits}}$`), `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
  return publish(schema, { type: 'integer', minimum: min, maximum: max });
}

/** One or more of `values`, comma-separated (OpenAPI style form, explode false). */
export function queryList<T extends string>(values: readonly T[], maxLength = 200) {
  const schema = z
    .string()
    .max(maxLength)
    .transform((list) => list.split(','))
    .pipe(z.array(z.enum(values as readonly [T, ...T[]], `must be one of ${values.join(', ')}`)));
  return publish(schema, { type: 'array', items: { type: 'string', enum: [...values] }, minItems: 1, maxItems: values.length });
}

/** For z.toJSONSchema: a parameter built above is published as the value a client sends. */
export function queryParameterOverride(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  const json = published.get(ctx.zodSchema as z.ZodType);
  if (!json) return;
  for (const key of Object.keys(ctx.jsonSchema)) if (key !== 'description') delete ctx.jsonSchema[key];
  Object.assign(ctx.jsonSchema, structuredClone(json));
}
