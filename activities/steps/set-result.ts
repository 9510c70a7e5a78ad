import { z } from 'zod';

/**
 * What every Set step returns (DSC's Get → Test → Set): the state before, the changes it made or — in plan
 * mode — would make, and the state after. `changed` in the envelope means "changed, or would change in plan mode",
 * as Ansible's check mode reports it; `planOnly` says which.
 */
export function setResultSchema<S extends z.ZodType>(state: S) {
  return z.object({
    planOnly: z.boolean(),
    changes: z.array(z.string()),
    before: state.nullable(),
    after: state.nullable(),
  });
}

/** The plan-mode switch every Set step takes. */
export const planOnlyInput = { planOnly: z.boolean().default(false) };
