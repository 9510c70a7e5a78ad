import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes cloudtrust lists and filters executions by. Never put secrets in them: they are not encrypted. */
export const SEARCH_ATTRIBUTES = {
  CloudtrustKind: 'Keyword',
  CloudtrustDomain: 'Keyword',
  CloudtrustSpec: 'Keyword',
  CloudtrustTenant: 'Keyword',
  CloudtrustState: 'Keyword',
} as const;

export const kindKey = defineSearchAttributeKey('CloudtrustKind', SearchAttributeType.KEYWORD);
export const domainKey = defineSearchAttributeKey('CloudtrustDomain', SearchAttributeType.KEYWORD);
export const specKey = defineSearchAttributeKey('CloudtrustSpec', SearchAttributeType.KEYWORD);
export const tenantKey = defineSearchAttributeKey('CloudtrustTenant', SearchAttributeType.KEYWORD);
export const stateKey = defineSearchAttributeKey('CloudtrustState', SearchAttributeType.KEYWORD);

/** What every cloudtrust run is listed by: its kind, spec and tenant, and (for rollouts and plans) the state it starts in. */
export function runSearchAttributes(kind: 'rollout' | 'plan' | 'rotate-keys' | 'rollback' | 'migrate-intune' | 'drift-check', spec: { name: string; tenant: { id: string } }, state?: string) {
  return [
    { key: kindKey, value: kind },
    { key: specKey, value: spec.name },
    { key: tenantKey, value: spec.tenant.id },
    ...(state === undefined ? [] : [{ key: stateKey, value: state }]),
  ];
}
