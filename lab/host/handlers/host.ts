import type { StepHandler } from '../handler';
import { ensureHostModule } from './host-ensure-module';
import { forestInventory } from './host-forest';
import { hostModule } from './host-module';

/** Lab behaviours of the host steps, keyed by script id. */
export const hostHandlers: Record<string, StepHandler> = {
  'host.module': hostModule,
  'host.ensure-module': ensureHostModule,
  'forest.inventory': forestInventory,
};
