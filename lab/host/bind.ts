import type { z } from 'zod';
import { LabError } from './handler';

/** Binds arguments the way a script's param() block would: a failure is a ParameterBindingException-shaped error. */
export function bindParameters<T extends z.ZodType>(scriptId: string, schema: T, args: Record<string, unknown>): z.infer<T> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const parameter = String(issue.path[0] ?? '');
  throw new LabError(
    `${scriptId}: Cannot validate argument on parameter '${parameter}'. ${issue.message}`,
    'InvalidData',
    `ParameterArgumentValidationError,${scriptId}`,
    parameter || null,
  );
}
