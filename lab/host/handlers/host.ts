import type { StepHandler } from '../handler';

/** Lab behaviours of the host steps, keyed by script id. */
export const hostHandlers: Record<string, StepHandler> = {};
