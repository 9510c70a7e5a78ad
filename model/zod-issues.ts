import type { z } from 'zod';

/** Every problem of a failed zod parse as `where: what` lines, e.g. `domains[2].name: Invalid string`. */
export function describeIssues(error: z.ZodError, root = ''): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.reduce<string>(
      (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
      root,
    );
    return `${where || '(root)'}: ${issue.message}`;
  });
}
