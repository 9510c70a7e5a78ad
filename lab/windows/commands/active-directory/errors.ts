import { fill } from '../../../service/context';
import { loadCatalog } from '../../catalog';
import type { CommandCall, CommandContext } from '../types';

/**
 * The catalog's targetObject of an error, filled like its message: what the real record's TargetObject (and so
 * CategoryInfo.TargetName) holds. {CommandClassShort} is the implementing class without its namespace.
 */
export function catalogTarget(call: CommandCall, key: string, values: Record<string, string | number>): string | null {
  const catalog = loadCatalog();
  const declared = catalog.command(call.command);
  if (!declared) return null;
  const error = catalog.error(declared.module, key) as { targetObject?: string } | undefined;
  const template = error?.targetObject;
  if (template === undefined || template === '') return null;
  const commandClass = String((declared.command as { commandClass?: string }).commandClass ?? '');
  return fill(template, { CommandClassShort: commandClass.slice(commandClass.lastIndexOf('.') + 1), ...values });
}

/** lab.fail with the record's documented target object. */
export function failWith(call: CommandCall, lab: CommandContext, key: string, values: Record<string, string | number> = {}): never {
  return lab.fail(key, values, { targetObject: catalogTarget(call, key, values) });
}

/** lab.writeError (non-terminating) with the record's documented target object. */
export function writeErrorWith(call: CommandCall, lab: CommandContext, key: string, values: Record<string, string | number> = {}): void {
  lab.writeError(key, values, { targetObject: catalogTarget(call, key, values) });
}
