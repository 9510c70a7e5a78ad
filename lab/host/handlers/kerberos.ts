import type { StepHandler } from '../handler';

/** Lab behaviours of the kerberos steps, keyed by script id. */
export const kerberosHandlers: Record<string, StepHandler> = {};
