import type { StepHandler } from '../handler';

/** Lab behaviours of the intune steps, keyed by script id. */
export const intuneHandlers: Record<string, StepHandler> = {};
