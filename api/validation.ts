import type { z } from 'zod';
import { describeIssues } from '../model/zod-issues';
import { ApiError } from './errors';

const WHERE = { body: 'the request body', query: 'the query string', path: 'the URL path' } as const;

/**
 * Validates one part of a request. Every problem is named by its path: body problems relative to the body
 * (`spec.domains[0].name: …`), query and path problems under `query.` and `path.`.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: keyof typeof WHERE): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error, where === 'body' ? '' : where).map((p) => (p.startsWith('(root):') ? `${where}${p.slice('(root)'.length)}` : p));
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  throw new ApiError(400, 'invalid-input', `${WHERE[where]} has ${count}: ${problems.join('; ')}`, { problems });
}
