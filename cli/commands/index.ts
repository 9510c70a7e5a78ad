import type { CommandSpec } from '../command';
import { clientsImportCommand } from './clients';
import { approveCommand, cancelCommand, pauseCommand, resumeCommand } from './control';
import { kerberosDoneCommand } from './operator';
import { labInitCommand, labResetCommand, labShowCommand } from './lab';
import { labKerberosResetCommand } from './lab-kerberos-reset';
import { applyCommand, planCommand } from './rollouts';
import { driftCheckCommand, migrateIntuneCommand, rollbackCommand, rotateKeysCommand } from './runbooks';
import { listCommand, reportCommand, statusCommand } from './runs';
import { scheduleCreateCommand, scheduleDeleteCommand, scheduleListCommand, scheduleTriggerCommand } from './schedules';
import { validateCommand } from './validate';
import { serverCommand } from './server';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './token';
import { workerCommand } from './worker';

/** Every command, in the order `cloudtrust help` lists them within their group. */
export const COMMANDS: CommandSpec[] = [
  validateCommand,
  planCommand,
  applyCommand,
  statusCommand,
  listCommand,
  reportCommand,
  approveCommand,
  pauseCommand,
  resumeCommand,
  cancelCommand,
  kerberosDoneCommand,
  clientsImportCommand,
  rotateKeysCommand,
  rollbackCommand,
  migrateIntuneCommand,
  driftCheckCommand,
  scheduleCreateCommand,
  scheduleListCommand,
  scheduleDeleteCommand,
  scheduleTriggerCommand,
  labInitCommand,
  labResetCommand,
  labShowCommand,
  labKerberosResetCommand,
  serverCommand,
  workerCommand,
  tokenCreateCommand,
  tokenListCommand,
  tokenRevokeCommand,
];
