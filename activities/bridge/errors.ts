import type { PsError } from './envelope';

/** Failure kinds a PowerShell step can end in; the kind is the Temporal failure type. */
export const RETRYABLE_KINDS = ['Unreachable', 'Throttled', 'Timeout', 'HostCrashed', 'StepFailed'] as const;
export const NON_RETRYABLE_KINDS = ['AccessDenied', 'InvalidInput', 'Unsupported', 'ContractViolation', 'NotFound', 'Cancelled'] as const;
export type BridgeErrorKind = (typeof RETRYABLE_KINDS)[number] | (typeof NON_RETRYABLE_KINDS)[number];

export class BridgeError extends Error {
  override readonly name = 'BridgeError';
  constructor(
    readonly kind: BridgeErrorKind,
    message: string,
    readonly errors: PsError[] = [],
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return (RETRYABLE_KINDS as readonly string[]).includes(this.kind);
  }
}

interface Rule {
  kind: BridgeErrorKind;
  categories?: string[];
  text?: RegExp;
}

// Order matters: the first rule that matches any error decides the kind.
const RULES: Rule[] = [
  // Import-Module of a module the host does not have: ResourceUnavailable by category, but no retry brings it.
  { kind: 'Unsupported', text: /Modules_ModuleNotFound/ },
  // The NuGet provider feed is retired (host/ensure-module.ps1): ResourceUnavailable by category, but only an offline copy helps.
  { kind: 'Unsupported', text: /\bNuGetProviderFeedRetired\b/ },
  { kind: 'Throttled', categories: ['LimitsExceeded', 'QuotaExceeded'], text: /\b429\b|too many requests|throttl/i },
  { kind: 'AccessDenied', categories: ['PermissionDenied', 'SecurityError', 'AuthenticationError'], text: /insufficient access rights|access is denied|unauthori[sz]ed|AADSTS50076|AADSTS50079|multi-factor|AADSTS50126|user name or password is incorrect|AADSTS90002|AADSTS700016|AADSTS700027/i },
  { kind: 'Unsupported', categories: ['NotImplemented', 'NotEnabled', 'DeviceError'], text: /not supported|unsupported/i },
  { kind: 'InvalidInput', categories: ['InvalidArgument', 'InvalidData', 'InvalidType', 'ParserError', 'SyntaxError', 'MetadataError'], text: /cannot validate argument|cannot bind parameter|parameterbinding/i },
  { kind: 'Unreachable', categories: ['ConnectionError', 'ResourceUnavailable', 'OperationTimeout', 'ProtocolError', 'ResourceBusy'], text: /server is not operational|unable to contact the server|rpc server is unavailable|no such host|timed out|network path was not found/i },
  { kind: 'NotFound', categories: ['ObjectNotFound'] },
];

/** Decides the failure kind of a step that answered ok=false. */
export function classifyStepErrors(scriptId: string, errors: PsError[]): BridgeError {
  const first = errors[0];
  const text = errors.map((e) => `${e.message} ${e.fullyQualifiedErrorId ?? ''}`).join('\n');
  const message = first ? `${scriptId}: ${first.message}` : `${scriptId}: the step failed without an error record`;
  for (const rule of RULES) {
    const byCategory = errors.some((e) => e.category && rule.categories?.includes(e.category));
    if (byCategory || rule.text?.test(text)) {
      const retryAfter = errors.find((e) => e.retryAfterSeconds !== undefined)?.retryAfterSeconds;
      return new BridgeError(rule.kind, message, errors, retryAfter === undefined ? undefined : retryAfter * 1000);
    }
  }
  return new BridgeError('StepFailed', message, errors);
}
