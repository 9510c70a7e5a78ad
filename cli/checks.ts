import type { z } from 'zod';
import { tokenNameSchema } from '../api/tokens';
import { TriggerError } from '../client/errors';

/**
 * The CLI refuses what the HTTP API refuses: its options are checked with the API's own schemas, and a problem is
 * invalid input (exit 3) that names the option or variable it came from.
 */

function problemsOf(error: z.ZodError, where: (path: PropertyKey[]) => string): string[] {
  return error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`);
}

function invalid(problems: string[], hint?: string): TriggerError {
  return new TriggerError('invalid-input', problems[0], hint, problems.length > 1 ? problems : []);
}

/** One value checked with a schema; `where` names it in the error (an option such as --ring, or a variable). */
export function checkValue<T>(where: string, schema: z.ZodType<T>, value: unknown, hint?: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(problemsOf(result.error, () => where), hint);
}

/**
 * Options checked as one request body of the API (each option named like the body's field): the options not given
 * are left out, so the body's own defaults and optional fields apply.
 */
export function checkOptions<T>(schema: z.ZodType<T>, options: Record<string, string | undefined>): Exclude<T, undefined> {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const result = schema.safeParse(given);
  if (result.success) return (result.data ?? given) as Exclude<T, undefined>;
  throw invalid(problemsOf(result.error, (path) => (path.length > 0 ? `--${String(path[0])}` : 'options')));
}

/**
 * Who approves, pauses, cancels or confirms: CLOUDTRUST_OPERATOR, else the login name. It is recorded in the rollout
 * and its report, so it must be a name the API would accept as a token's name (which it records the same way).
 */
export function operatorName(env: NodeJS.ProcessEnv, loginName: () => string): string {
  const configured = env.CLOUDTRUST_OPERATOR?.trim();
  if (configured) return checkValue('CLOUDTRUST_OPERATOR', tokenNameSchema, configured);
  const login = loginName();
  const checked = tokenNameSchema.safeParse(login);
  if (checked.success) return checked.data;
  throw new TriggerError(
    'invalid-input',
    `your login name ${JSON.stringify(login)} cannot be recorded as the operator: it ${checked.error.issues[0].message}`,
    'set CLOUDTRUST_OPERATOR to the name to record',
  );
}
