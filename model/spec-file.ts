import { parseDocument } from 'yaml';
import { reservedKeyProblems } from './reserved-keys';
import { describeIssues } from './zod-issues';
import { rolloutSpecSchema, type RolloutSpec } from './spec';

export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`);
  }
}

/** Parses a spec written in YAML or JSON (JSON is YAML) and validates it; every problem is listed by path. */
export function parseSpec(text: string, source = 'spec'): RolloutSpec {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new SpecError(source, document.errors.map((e) => `line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}: ${e.message.split('\n')[0]}`));
  }
  return validateSpec(document.toJS(), source);
}

export function validateSpec(value: unknown, source = 'spec'): RolloutSpec {
  // As the API's JSON parser does: reserved keys are refused before the spec is validated at all.
  const reserved = reservedKeyProblems(value);
  if (reserved.length > 0) throw new SpecError(source, reserved);
  const parsed = rolloutSpecSchema.safeParse(value);
  if (!parsed.success) throw new SpecError(source, describeIssues(parsed.error));
  return parsed.data;
}
