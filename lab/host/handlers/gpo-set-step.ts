import type { LabEstate } from '../../estate/schema';
import type { HandlerContext, StepAnswer } from '../handler';

/** One Get → Test pass of a Set step over an estate, with the Set part ready to run on that same estate. */
export interface Evaluation<S> {
  before: S | null;
  changes: string[];
  warnings: string[];
  /** Applies the changes to the estate this evaluation read and returns the state after. */
  apply(): S | null;
}

/**
 * Runs a Set step the way its script does: plan on a snapshot; when something differs and this is not plan mode,
 * evaluate again inside the estate transaction (another worker may have changed it meanwhile) and apply there.
 */
export async function settle<S>(context: HandlerContext, planOnly: boolean, evaluate: (estate: LabEstate) => Evaluation<S>): Promise<StepAnswer> {
  const planned = evaluate(await context.estate());
  if (planOnly || planned.changes.length === 0) return answer(planOnly, planned, planned.before);
  const { applied, after } = await context.update((estate) => {
    const evaluation = evaluate(estate);
    return { applied: evaluation, after: evaluation.changes.length > 0 ? evaluation.apply() : evaluation.before };
  });
  return answer(planOnly, applied, after);
}

function answer<S>(planOnly: boolean, evaluation: Evaluation<S>, after: S | null): StepAnswer {
  return {
    changed: evaluation.changes.length > 0,
    result: { planOnly, changes: evaluation.changes, before: evaluation.before, after },
    warnings: evaluation.warnings,
  };
}
