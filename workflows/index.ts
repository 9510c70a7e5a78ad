export { preflightDomain } from './preflight';
export { rollout } from './rollout';
export { domainRollout } from './domain';
export { domainBatch } from './domain-batch';
export { rotateKeys, rollback, migrateIntune } from './runbooks';
export { driftCheck } from './drift-check';
export { runbookLock } from './runbook-lock';
