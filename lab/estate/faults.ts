import type { LabEstate, LabFault } from './schema';

export type FaultAction =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'hang' }
  | { kind: 'fail'; message: string; category: string; errorId: string; retryAfterSeconds?: number; latencyMs: number };

const TRANSIENT = { message: 'The server is not operational.', category: 'ResourceUnavailable', errorId: 'ActiveDirectoryServer:8250' };
const THROTTLED = { message: 'Response status code does not indicate success: 429 (Too Many Requests).', category: 'LimitsExceeded', errorId: 'Graph429' };

function appliesTo(fault: LabFault, scriptId: string, targets: string[]): boolean {
  if (fault.scriptId !== scriptId) return false;
  return fault.target === undefined || targets.some((t) => t.toLowerCase() === fault.target!.toLowerCase());
}

/**
 * Decides what the faults declared in the estate do to this call, and consumes them (a transient fault with
 * remaining = 2 fails two calls). Mutates `estate`, so call it inside a store update.
 */
export function takeFault(estate: LabEstate, scriptId: string, targets: string[]): FaultAction {
  let latencyMs = estate.latencyMs;
  for (const fault of estate.faults) {
    if (!appliesTo(fault, scriptId, targets)) continue;
    switch (fault.mode) {
      case 'latency':
        latencyMs += fault.latencyMs ?? 0;
        break;
      case 'hang':
        return { kind: 'hang' };
      case 'permanent':
        return {
          kind: 'fail',
          latencyMs,
          message: fault.message ?? 'Access is denied.',
          category: fault.category ?? 'PermissionDenied',
          errorId: fault.errorId ?? 'UnauthorizedAccess',
        };
      case 'transient':
      case 'throttle': {
        if ((fault.remaining ?? 0) <= 0) break;
        fault.remaining = (fault.remaining ?? 0) - 1;
        const base = fault.mode === 'throttle' ? THROTTLED : TRANSIENT;
        return {
          kind: 'fail',
          latencyMs,
          message: fault.message ?? base.message,
          category: fault.category ?? base.category,
          errorId: fault.errorId ?? base.errorId,
          ...(fault.mode === 'throttle' ? { retryAfterSeconds: fault.retryAfterSeconds ?? 5 } : {}),
        };
      }
    }
  }
  return { kind: 'none', latencyMs };
}

/** Every top-level string argument of a call, which is what a fault's `target` is matched against. */
export function callTargets(args: Record<string, unknown>): string[] {
  return Object.values(args).filter((v): v is string => typeof v === 'string');
}
