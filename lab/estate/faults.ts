import type { LabEstate, LabFault } from './schema';

export type FaultAction =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'hang' }
  | { kind: 'fail'; exceptionType: string; message: string; category: string; errorId: string; statusCode?: number; retryAfterSeconds?: number; latencyMs: number };

const TRANSIENT = { exceptionType: 'System.TimeoutException', message: 'The server is not operational.', category: 'ResourceUnavailable', errorId: 'ActiveDirectoryServer:8250' };
const THROTTLED = {
  exceptionType: 'Microsoft.PowerShell.Commands.HttpResponseException',
  message: 'Response status code does not indicate success: TooManyRequests (Too Many Requests).',
  category: 'InvalidOperation',
  errorId: 'Microsoft.PowerShell.Commands.HttpResponseException',
};
const PERMANENT = { exceptionType: 'System.UnauthorizedAccessException', message: 'Access is denied.', category: 'PermissionDenied', errorId: 'UnauthorizedAccess' };

function appliesTo(fault: LabFault, command: string, targets: string[]): boolean {
  if (fault.command.toLowerCase() !== command.toLowerCase()) return false;
  return fault.target === undefined || targets.some((t) => t.toLowerCase() === fault.target!.toLowerCase());
}

/**
 * Decides what the faults declared in the estate do to this command call, and consumes them (a transient fault
 * with remaining = 2 fails two calls). Mutates `estate`, so call it inside a store update.
 */
export function takeFault(estate: LabEstate, command: string, targets: string[]): FaultAction {
  let latencyMs = estate.latencyMs;
  for (const fault of estate.faults) {
    if (!appliesTo(fault, command, targets)) continue;
    switch (fault.mode) {
      case 'latency':
        latencyMs += fault.latencyMs ?? 0;
        break;
      case 'hang':
        return { kind: 'hang' };
      case 'permanent':
        return { kind: 'fail', latencyMs, ...override(PERMANENT, fault) };
      case 'transient':
      case 'throttle': {
        if ((fault.remaining ?? 0) <= 0) break;
        fault.remaining = (fault.remaining ?? 0) - 1;
        if (fault.mode === 'transient') return { kind: 'fail', latencyMs, ...override(TRANSIENT, fault) };
        return { kind: 'fail', latencyMs, ...override(THROTTLED, fault), statusCode: 429, retryAfterSeconds: fault.retryAfterSeconds ?? 5 };
      }
    }
  }
  return { kind: 'none', latencyMs };
}

function override(base: typeof PERMANENT, fault: LabFault) {
  return {
    exceptionType: fault.exceptionType ?? base.exceptionType,
    message: fault.message ?? base.message,
    category: fault.category ?? base.category,
    errorId: fault.errorId ?? base.errorId,
  };
}

/** Every string a call names (its string parameters, the items of string lists, the remote computer): what a fault's `target` matches. */
export function callTargets(parameters: Record<string, unknown>, computer: string | null): string[] {
  const targets: string[] = computer ? [computer] : [];
  for (const value of Object.values(parameters)) {
    if (typeof value === 'string') targets.push(value);
    else if (Array.isArray(value)) targets.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  return targets;
}
