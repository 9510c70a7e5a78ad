/**
 * The rules of a spec and of the API's request bodies that JSON Schema cannot carry: each relates two fields. The
 * published schemas (schema/rollout-spec.schema.json, GET /openapi.json) state them in their descriptions, and /docs
 * shows them; a request that the schema accepts is refused only by one of these, at the path named here.
 */
export interface CrossFieldRule {
  /** Where the problem is reported, as a pattern over the problem's path (body paths start at spec. in requests). */
  at: RegExp;
  rule: string;
}

export const SPEC_RULES: readonly CrossFieldRule[] = [
  { at: /^domains\[\d+\]\.name$/, rule: 'every domain is declared once (names compare case-insensitively) and is in exactly one ring' },
  { at: /^rings\[\d+\]\.domains\[\d+\]$/, rule: "every domain a ring names is declared under domains and is in no other ring" },
  { at: /^rings\[\d+\]\.name$/, rule: 'ring names are unique' },
  { at: /^domains\[\d+\]\.channel$/, rule: 'an intune-channel domain needs tenant.graph' },
  { at: /^domains\[\d+\]\.gpo\.targets\[\d+\]$/, rule: "a GPO target's DC= parts spell the domain's own name (a GPO links only within its domain)" },
  { at: /^tenant\.graph\.environment$/, rule: 'tenant.graph.environment is in the cloud tenant.cloud names (Global: public; USGov, USGovDoD: usgovernment; China: china)' },
  { at: /^options\.pinComplexity\.minimumLength$/, rule: 'options.pinComplexity.minimumLength does not exceed maximumLength' },
];

export const REQUEST_RULES: readonly CrossFieldRule[] = [
  { at: /^domains(\[\d+\])?$/, rule: "domains (rotate-keys, rollback, migrate-intune, schedules) names only domains the spec declares; a runbook run (and a rotate-keys schedule) takes at most 250 domains: domains, else all of the spec's" },
  { at: /^confirmRemoval$/, rule: 'rollback: removeKerberosObject needs confirmRemoval' },
  { at: /^every$/, rule: 'schedules: exactly one of every and cron' },
  { at: /^(domains|force)$/, rule: 'schedules: domains and force apply to kind rotate-keys only' },
];

/** The rules as one paragraph, for schema descriptions and the docs. */
export function describeRules(rules: readonly CrossFieldRule[]): string {
  return rules.map((r) => `${r.rule.charAt(0).toUpperCase()}${r.rule.slice(1)}.`).join(' ');
}

/** Whether a problem line (`path: message`) is one of the rules, its path read under `root` (e.g. 'spec.'). */
export function isCrossFieldProblem(problem: string, root = ''): boolean {
  const at = problem.slice(0, problem.indexOf(': '));
  if (root && at.startsWith(root)) return SPEC_RULES.some((r) => r.at.test(at.slice(root.length)));
  return (root ? REQUEST_RULES : SPEC_RULES).some((r) => r.at.test(at));
}
