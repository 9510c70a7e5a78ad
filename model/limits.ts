/**
 * Domains per rollout. Temporal bounds a single payload at 2 MB (blob size limit): the rollout's own record keeps a
 * summary per domain (up to about 900 bytes in plan mode, test/unit/limits.test.ts), and its input carries the
 * spec. Histories do not bound it: batches keep the rollout's history growing with batches, not domains.
 */
export const MAX_DOMAINS = 2000;

/** Temporal's default limit on one payload (an input, a result, a signal). */
export const TEMPORAL_PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * Domains per run of a runbook (key rotation, rollback, Intune migration). A runbook works through its domains in
 * one workflow, about 40 history events per domain (rotation), so 250 keeps its history near Temporal's warning
 * threshold of 10,240 events. A larger estate runs a runbook in parts: `domains` names each part.
 */
export const RUNBOOK_MAX_DOMAINS = 250;

/** Why a runbook request over this many domains is refused, or undefined when it is not. */
export function runbookSizeProblem(selected: number): string | undefined {
  if (selected <= RUNBOOK_MAX_DOMAINS) return undefined;
  return `a runbook run takes at most ${RUNBOOK_MAX_DOMAINS} domains (its history grows with each domain); this one would take ${selected}: name a part with domains and run it in parts`;
}
