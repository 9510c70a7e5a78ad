import type { StepHandler } from './handler';
import { echo } from './handlers/diagnostics';
import { fixtureHandlers } from './handlers/fixtures';
import { gpoHandlers } from './handlers/gpo';
import { hostHandlers } from './handlers/host';
import { intuneHandlers } from './handlers/intune';
import { domainInventory } from './handlers/inventory';
import { kerberosHandlers } from './handlers/kerberos';

/** Script id -> lab behaviour. Each id mirrors the reviewed .ps1 registered under the same id. */
export function handlerRegistry(env: NodeJS.ProcessEnv): Map<string, StepHandler> {
  const registry = new Map<string, StepHandler>([
    ['diagnostics.echo', echo],
    ['domain.inventory', domainInventory],
    ...Object.entries(hostHandlers),
    ...Object.entries(kerberosHandlers),
    ...Object.entries(gpoHandlers),
    ...Object.entries(intuneHandlers),
  ]);
  if (env.CLOUDTRUST_LAB_FIXTURES === '1') {
    for (const [id, handler] of Object.entries(fixtureHandlers)) registry.set(id, handler);
  }
  return registry;
}
