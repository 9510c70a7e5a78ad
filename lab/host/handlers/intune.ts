import type { StepHandler } from '../handler';
import { clientsSample } from './clients-sample';
import { intuneEnsureAssignment, intuneRollback } from './intune-assignment';
import { intuneEnsureGroup } from './intune-group';
import { intuneEnsureProfile } from './intune-profile';
import { intuneScanPassport, intuneTenant } from './intune-read';

/** Lab behaviours of the intune steps (the Intune policy channel and client sampling), keyed by script id. */
export const intuneHandlers: Record<string, StepHandler> = {
  'intune.tenant': intuneTenant,
  'intune.scan-passport': intuneScanPassport,
  'intune.ensure-group': intuneEnsureGroup,
  'intune.ensure-profile': intuneEnsureProfile,
  'intune.ensure-assignment': intuneEnsureAssignment,
  'intune.rollback': intuneRollback,
  'clients.sample': clientsSample,
};
