/** What an API token may do. Each scope includes the ones before it: admin can do everything operate can, and more. */
export const SCOPES = ['read', 'operate', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_MEANING: Record<Scope, string> = {
  read: 'list runs, read progress and reports, decode payloads',
  operate: 'start rollouts and runbooks, approve, pause, resume and cancel, encode payloads',
  admin: 'create and delete schedules',
};

/** The scopes a token issued with `scope` holds: that one and every lower one. */
export function scopesUpTo(scope: Scope): Scope[] {
  return SCOPES.slice(0, SCOPES.indexOf(scope) + 1);
}

export function highestScope(scopes: readonly Scope[]): Scope | undefined {
  return [...SCOPES].reverse().find((s) => scopes.includes(s));
}

export function grants(scopes: readonly Scope[], needed: Scope): boolean {
  return scopes.some((held) => SCOPES.indexOf(held) >= SCOPES.indexOf(needed));
}
