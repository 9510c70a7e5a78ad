// The operations runbooks: scheduled key rotation and rollback.
export { rotateKeys, type RotateKeysInput } from './runbook-rotate';
export { rollback, type RollbackInput } from './runbook-rollback';
export { runbookProgressQuery } from './runbook-messages';
