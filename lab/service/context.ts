import type { EstateStore } from '../estate/store';
import type { Catalog, CatalogModule } from '../windows/catalog';
import type { CommandContext, ErrorOptions, LabObject } from '../windows/commands/types';
import { encodeValue } from './wire';

/** An error a simulation raised, already shaped as the stub re-creates it. */
export class LabCommandError extends Error {
  constructor(readonly spec: ErrorSpec) {
    super(spec.message);
  }
}

export interface ErrorSpec {
  exceptionType: string;
  message: string;
  /** The FullyQualifiedErrorId without its last part: PowerShell appends ",<command>" itself when the stub writes the record. */
  errorId: string;
  category: string;
  targetObject: string | null;
  statusCode?: number;
  retryAfterSeconds?: number;
  /** ErrorRecord.ErrorDetails.Message (Graph: the service's error body). */
  errorDetails?: string;
  /** The InnerException, built the same way. */
  inner?: ErrorSpec;
}

export interface CallRecorder {
  warnings: string[];
  errors: ErrorSpec[];
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** "Id,Namespace.Class" -> "Id": the stub's function name takes the place of the implementing class. */
export function errorIdOf(fullyQualifiedErrorId: string): string {
  const cut = fullyQualifiedErrorId.lastIndexOf(',');
  return cut > 0 ? fullyQualifiedErrorId.slice(0, cut) : fullyQualifiedErrorId;
}

/** Dotted versions compared numerically, part by part (1.10 > 1.9). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `moduleVersion`: the version of the stub module that was called; its objects lack properties added later (`propertiesSince`). */
export function createContext(catalog: Catalog, module: CatalogModule | undefined, command: string, store: EstateStore, recorder: CallRecorder, moduleVersion: string | null = null): CommandContext {
  const errorSpec = (key: string, values: Record<string, string | number> = {}, options: ErrorOptions = {}): ErrorSpec => {
    const declared = module ? catalog.error(module, key) : undefined;
    if (!declared) throw new Error(`${command}: the simulation raised ${key}, which the catalog does not declare for ${module?.module ?? 'this command'}`);
    const allowed = module?.commands[command]?.errors;
    if (allowed && allowed.length > 0 && !allowed.includes(key)) throw new Error(`${command}: the catalog does not list ${key} among the errors this command raises`);
    const message = fill(declared.message, values);
    return {
      exceptionType: declared.exceptionType,
      message,
      errorId: errorIdOf(fill(declared.fullyQualifiedErrorId, values)),
      category: declared.category,
      targetObject: options.targetObject ?? null,
      ...(options.statusCode === undefined ? {} : { statusCode: options.statusCode }),
      ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
      ...(options.errorDetails === undefined ? {} : { errorDetails: options.errorDetails }),
      ...(options.inner === undefined ? {} : { inner: errorSpec(options.inner.key, options.inner.values) }),
    };
  };
  return {
    read: () => store.read(),
    update: (change) => store.update(change),
    now: () => new Date(),
    object(typeName, props, options = {}): LabObject {
      const type = catalog.type(typeName);
      if (!type) throw new Error(`${command}: the catalog declares no type ${typeName}`);
      const requested = new Set((options.requested ?? []).map((p) => p.toLowerCase()));
      const encoded: Record<string, unknown> = {};
      for (const [name, declared] of Object.entries(type.properties)) {
        const since = type.propertiesSince?.[name];
        if (since && moduleVersion && compareVersions(moduleVersion, since) < 0) continue;
        encoded[name] = encodeValue(catalog, declared, props[name], `${command} -> ${typeName}.${name}`);
      }
      for (const [name, value] of Object.entries(props)) {
        if (name in type.properties) continue;
        const extra = type.extraProperties === 'any' || (type.extraProperties === 'requested' && (requested.has(name.toLowerCase()) || requested.has('*')));
        if (!extra) throw new Error(`${command}: ${typeName} has no documented property ${name}`);
        encoded[name] = encodeValue(catalog, 'object', value, `${command} -> ${typeName}.${name}`);
      }
      const methods = options.methods ?? {};
      const declaredMethods = (type as { methods?: Record<string, string> }).methods ?? {};
      for (const name of Object.keys(methods)) if (!(name in declaredMethods)) throw new Error(`${command}: ${typeName} has no documented method ${name}`);
      return Object.keys(methods).length > 0 ? { $t: 'object', types: [typeName], props: encoded, methods } : { $t: 'object', types: [typeName], props: encoded };
    },
    fail(key, values, options): never {
      throw new LabCommandError(errorSpec(key, values, options));
    },
    writeError(key, values, options) {
      recorder.errors.push(errorSpec(key, values, options));
    },
    warn(text) {
      recorder.warnings.push(text);
    },
  };
}
