/*
 * A step has one name: its contract id, `<area>.<verb>-<noun>` (activities/steps), which is also its script
 * (`powershell/<area>/<verb>-<noun>.ps1`), its activity (camelCase without the dot) and the id of its record in a
 * report. A record the workflow makes without a script (a wait, a judgement over several reads, the workflow itself)
 * has a name of the same form from the list below, which names no script.
 */

/** A record's id: a step's contract id, or one of WORKFLOW_STEP_NAMES. */
export type StepName = `${string}.${string}`;

/** The records a workflow makes itself, each with what it means. */
export const WORKFLOW_STEP_NAMES = {
  'policy.verify': "the domain's policy read back through its channel and judged (model/policy-verification.ts)",
  'kerberos.operator-confirmed': 'an operator created the Azure AD Kerberos server object by hand; the workflow checked it before going on',
  'kerberos.key-check': "before a rotation: the key as the module reports it and krbtgt_AzureAD's key version on each writable DC",
  'kerberos.replication-wait': 'durable timers and polls until every writable DC holds the key version (or the timeout)',
  'kerberos.cooldown': 'the wait between the two rotations of a double rotation',
  'domain.workflow': "a domain's child workflow that ended without a report",
  'runbook.rotate-keys': 'a key rotation that failed for a domain before any of its steps',
  'runbook.rollback': 'a rollback that failed for a domain before any of its steps',
  'runbook.migrate-intune': 'the Intune migration of a domain: skipped for a gpo-channel domain, or failed before any of its steps',
} as const;

export type WorkflowStepName = keyof typeof WORKFLOW_STEP_NAMES;

/** The record of a runbook's domain that failed before any of its steps. */
export function runbookStepName(runbook: 'rotate-keys' | 'rollback' | 'migrate-intune'): WorkflowStepName {
  return `runbook.${runbook}`;
}

/**
 * The ids of report records from runs before one name per step, old -> current: a report of such a run reads with
 * today's names. A record that wrapped one activity takes that step's name (the removal of a profile or catalog
 * policy is its rollback step with delete set; kerberos-object, whether ensured or planned, the ensure step).
 */
export const LEGACY_STEP_NAMES: Readonly<Record<string, string>> = {
  'host-preflight': 'host.read-module',
  'host-module': 'host.ensure-module',
  'kerberos-object': 'kerberos.ensure-server',
  'kerberos-verify': 'kerberos.read-server',
  'kerberos-health': 'kerberos.check-health',
  'kerberos-rotate': 'kerberos.rotate-key',
  'kerberos-remove': 'kerberos.remove-server',
  'kerberos-replication': 'kerberos.replication-wait',
  'kerberos-cooldown': 'kerberos.cooldown',
  'kerberos-key-check': 'kerberos.key-check',
  'gpo-policy': 'gpo.ensure-policy',
  'gpo-links': 'gpo.ensure-links',
  'gpo-filtering': 'gpo.ensure-filtering',
  'gpo-rollback': 'gpo.rollback-policy',
  'intune-group': 'intune.ensure-group',
  'intune-profile': 'intune.ensure-profile',
  'intune-assignment': 'intune.ensure-assignment',
  'intune-rollback': 'intune.rollback-profile',
  'intune-profile-remove': 'intune.rollback-profile',
  'intune-catalog-policy': 'intune.ensure-catalog-policy',
  'intune-catalog-assignment': 'intune.ensure-catalog-assignment',
  'intune-catalog-rollback': 'intune.rollback-catalog-policy',
  'intune-catalog-remove': 'intune.rollback-catalog-policy',
  'client-sample': 'clients.read-devices',
  'verify-policy': 'policy.verify',
  'domain-workflow': 'domain.workflow',
  'rotate-keys': 'runbook.rotate-keys',
  rollback: 'runbook.rollback',
  'migrate-intune': 'runbook.migrate-intune',
};

/** A record's id as it reads today. */
export function currentStepName(step: string): string {
  return Object.hasOwn(LEGACY_STEP_NAMES, step) ? LEGACY_STEP_NAMES[step] : step;
}

/** "<old id>: change" lines of a summary or drift report, with the id as it reads today. */
function currentStepLine(line: string): string {
  const colon = line.indexOf(': ');
  return colon > 0 && Object.hasOwn(LEGACY_STEP_NAMES, line.slice(0, colon)) ? `${LEGACY_STEP_NAMES[line.slice(0, colon)]}${line.slice(colon)}` : line;
}

/**
 * A report (rollout, runbook, drift, or any part of one) with every record id as it reads today: each `step`
 * string, and the "<step>: …" lines outside a record (the changes and problem of a domain summary's plan or of a
 * drift report's domain). A new object; the input is left as it is.
 */
export function withCurrentStepNames<T>(report: T): T {
  return rename(report) as T;
}

function rename(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rename);
  if (value === null || typeof value !== 'object') return value;
  const record = typeof (value as { step?: unknown }).step === 'string' && typeof (value as { status?: unknown }).status === 'string';
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'step' && typeof item === 'string') out[key] = currentStepName(item);
    else if (key === 'changes' && !record && Array.isArray(item)) out[key] = (item as unknown[]).map((line) => (typeof line === 'string' ? currentStepLine(line) : line));
    else if (key === 'problem' && typeof item === 'string') out[key] = currentStepLine(item);
    else out[key] = rename(item);
  }
  return out;
}
