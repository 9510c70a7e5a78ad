import type { StepHandler } from './handler';
import { echo } from './handlers/diagnostics';
import { fixtureHandlers } from './handlers/fixtures';
import { domainInventory } from './handlers/inventory';

/** Script id -> lab behaviour. Each id mirrors the reviewed .ps1 registered under the same id. */
export function handlerRegistry(env: NodeJS.ProcessEnv): Map<string, StepHandler> {
  const registry = new Map<string, StepHandler>([
    ['diagnostics.echo', echo],
    ['domain.inventory', domainInventory],
  ]);
  if (env.CLOUDTRUST_LAB_FIXTURES === '1') {
    for (const [id, handler] of Object.entries(fixtureHandlers)) registry.set(id, handler);
  }
  return registry;
}
