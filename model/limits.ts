/**
 * Domains per rollout. Temporal bounds a single payload at 2 MB (blob size limit): the rollout's own record keeps a
 * summary per domain (up to about 900 bytes in plan mode, test/unit/limits.test.ts), and its input carries the
 * spec. Histories do not bound it: batches keep the rollout's history growing with batches, not domains.
 */
export const MAX_DOMAINS = 2000;

/** Temporal's default limit on one payload (an input, a result, a signal). */
export const TEMPORAL_PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;
