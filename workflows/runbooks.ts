// The operations runbooks: scheduled key rotation, rollback and the Intune delivery migration.
export { rotateKeys, type RotateKeysInput } from './runbook-rotate';
export { rollback, type RollbackInput } from './runbook-rollback';
export { migrateIntune, type MigrateIntuneInput } from './runbook-migrate';
export { runbookProgressQuery } from './runbook-messages';
