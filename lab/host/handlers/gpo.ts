import type { StepHandler } from '../handler';

/** Lab behaviours of the gpo steps, keyed by script id. */
export const gpoHandlers: Record<string, StepHandler> = {};
