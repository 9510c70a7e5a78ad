import { z } from 'zod';
import { describeRules, SPEC_RULES } from './cross-field-rules';
import { rolloutSpecSchema } from './spec';

/** The JSON Schema of a rollout spec as written (defaults optional), for editors. Published as schema/rollout-spec.schema.json. */
export function rolloutSpecJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(rolloutSpecSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://cloudtrust.invalid/schema/rollout-spec.schema.json',
    title: 'cloudtrust rollout spec',
    description: `A cloudtrust rollout spec. Rules this schema cannot carry, each relating two fields: ${describeRules(SPEC_RULES)}`,
  };
}
