import type { StepHandler } from '../handler';
import { ensureFiltering } from './gpo-filtering';
import { ensureLinks } from './gpo-links';
import { ensurePolicy } from './gpo-policy';
import { rollback } from './gpo-rollback';
import { scanPassport } from './gpo-scan';

/** Lab behaviours of the gpo steps, keyed by script id. */
export const gpoHandlers: Record<string, StepHandler> = {
  'gpo.scan-passport': scanPassport,
  'gpo.ensure-policy': ensurePolicy,
  'gpo.ensure-links': ensureLinks,
  'gpo.ensure-filtering': ensureFiltering,
  'gpo.rollback': rollback,
};
