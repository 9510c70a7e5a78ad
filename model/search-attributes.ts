/** Custom search attributes cloudtrust lists and filters executions by. Never put secrets in them: they are not encrypted. */
export const SEARCH_ATTRIBUTES = {
  CloudtrustKind: 'Keyword',
  CloudtrustDomain: 'Keyword',
  CloudtrustSpec: 'Keyword',
  CloudtrustTenant: 'Keyword',
  CloudtrustState: 'Keyword',
} as const;
