import { loadCatalog } from '../../catalog';
import type { CommandCall, CommandContext, CommandSimulation, LabObject } from '../types';
import { GraphServiceError, notSimulated } from './errors';
import type { CollectionQuery, Json } from './odata';
import { graphRequest, type GraphRequest } from './request';
import { connectionOf } from './session';

/**
 * What the SDK's generated (AutoRest) cmdlets do around a Graph request: the process's sign-in, query options
 * from parameters, paging, the JSON response deserialized into its model (declared members typed, everything
 * else in AdditionalProperties, a Dictionary[string,object]) and service errors written as "[code] : message".
 */

/** The cmdlet class the SDK generates for a command and parameter set, e.g. GetMgGroup_List (catalog {CommandClass}). */
export function commandClass(call: CommandCall): string {
  return `${call.command.replace('-', '')}_${call.parameterSet}`;
}

/** A JSON value as the SDK keeps it in AdditionalProperties: objects as Dictionary[string,object], arrays as object[]. */
function additionalValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(additionalValue);
  if (value !== null && typeof value === 'object') {
    return { $t: 'dictionary', v: Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, additionalValue(v)])) };
  }
  return value;
}

/** Deserializes a Graph JSON entity into an SDK model of the catalog (members matched by name, case-insensitively). */
export function toModel(lab: CommandContext, typeName: string, json: Json): LabObject {
  const type = loadCatalog().type(typeName);
  if (!type) throw new Error(`the catalog declares no type ${typeName}`);
  const props: Record<string, unknown> = {};
  const used = new Set<string>();
  for (const [name, declared] of Object.entries(type.properties)) {
    if (name === 'AdditionalProperties') continue;
    const key = Object.keys(json).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key === undefined) continue;
    used.add(key);
    props[name] = typedValue(lab, declared, json[key]);
  }
  if ('AdditionalProperties' in type.properties) {
    props.AdditionalProperties = Object.fromEntries(Object.entries(json).filter(([key]) => !used.has(key)).map(([key, value]) => [key, additionalValue(value)]));
  }
  return lab.object(typeName, props);
}

function typedValue(lab: CommandContext, declared: string, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const type = declared.endsWith('?') ? declared.slice(0, -1) : declared;
  const catalog = loadCatalog();
  if (type.endsWith('[]') && catalog.type(type.slice(0, -2))) return (value as Json[]).map((item) => toModel(lab, type.slice(0, -2), item));
  if (catalog.type(type)) return toModel(lab, type, value as Json);
  return value;
}

/** The camelCase JSON member of an SDK (PascalCase) property name. */
const jsonName = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * A request body as the SDK serializes it: -BodyParameter (a hashtable or a model object) or the expanded
 * parameters. Keys the model declares are matched case-insensitively and sent under their JSON name; any other
 * key (AdditionalProperties) is sent exactly as written, so its case matters to the service.
 */
export function requestBody(call: CommandCall, typeName: string, notBody: string[] = []): Json {
  const type = loadCatalog().type(typeName);
  if (!type) throw new Error(`the catalog declares no type ${typeName}`);
  const declared = Object.keys(type.properties).filter((p) => p !== 'AdditionalProperties');
  const body: Json = {};
  const put = (key: string, value: unknown) => {
    const property = declared.find((p) => p.toLowerCase() === key.toLowerCase());
    body[property ? jsonName(property) : key] = plain(value);
  };
  if (call.has('BodyParameter')) {
    const raw = call.get<unknown>('BodyParameter');
    const source = isModel(raw) ? raw.props : (raw as Json);
    if (source === null || typeof source !== 'object') throw new Error('-BodyParameter is neither a hashtable nor a model object');
    for (const [key, value] of Object.entries(source)) {
      if (key === 'AdditionalProperties' && value !== null && typeof value === 'object') {
        for (const [extra, extraValue] of Object.entries(value as Json)) body[extra] = plain(extraValue);
      } else if (value !== null && value !== undefined) put(key, value);
    }
    return body;
  }
  const skip = new Set(['Headers', 'HttpPipelineAppend', 'HttpPipelinePrepend', 'Proxy', 'ProxyCredential', 'ProxyUseDefaultCredentials', 'ResponseHeadersVariable', 'Break', ...notBody].map((n) => n.toLowerCase()));
  for (const [key, value] of Object.entries(call.parameters)) {
    if (skip.has(key.toLowerCase()) || key === 'WhatIf') continue;
    if (key.toLowerCase() === 'additionalproperties') {
      for (const [extra, extraValue] of Object.entries((value as Json) ?? {})) body[extra] = plain(extraValue);
      continue;
    }
    put(key, value);
  }
  return body;
}

function isModel(value: unknown): value is { type: string; props: Json } {
  return value !== null && typeof value === 'object' && 'props' in (value as Json) && 'type' in (value as Json) && Object.keys(value).length === 2;
}

/** Parameter values as JSON: model objects passed back in become their members (camelCase). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (isModel(value)) {
    const json: Json = {};
    for (const [key, inner] of Object.entries(value.props)) {
      if (key === 'AdditionalProperties' && inner !== null && typeof inner === 'object') Object.assign(json, plain(inner));
      else if (inner !== null && inner !== undefined) json[jsonName(key)] = plain(inner);
    }
    return json;
  }
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** The query options of a List set (-Filter -Property -Sort -Top -Skip -ExpandProperty). */
export function listQuery(call: CommandCall): CollectionQuery & { expand?: string[] } {
  return {
    filter: call.get<string>('Filter'),
    select: call.get<string[]>('Property'),
    orderBy: call.get<string[]>('Sort'),
    top: call.get<number>('Top'),
    skip: call.get<number>('Skip'),
    expand: call.get<string[]>('ExpandProperty'),
  };
}

/** The service's page size for a collection (the lab's, for every Graph collection). */
export const PAGE_SIZE = 100;

/** List without -All returns the first page only; -All follows @odata.nextLink; -Top N stops after N. */
export function page<T>(call: CommandCall, items: T[]): T[] {
  if (call.get<boolean>('All')) return items;
  const top = call.get<number>('Top');
  if (top !== undefined) return items.slice(0, top);
  return items.slice(0, call.get<number>('PageSize') ?? PAGE_SIZE);
}

/** Parameters whose effect the lab cannot produce (variables in the caller's scope, $search): a lab defect, never silence. */
export function refuseUnsimulated(call: CommandCall, names = ['CountVariable', 'ResponseHeadersVariable', 'Search']): void {
  for (const name of names) if (call.has(name)) throw notSimulated(`${call.command} -${name}`);
}

/** The id an -InputObject (an identity hashtable or a model object) names under one of these keys. */
export function identityOf(call: CommandCall, keys: string[]): string {
  const raw = call.get<unknown>('InputObject');
  const source = isModel(raw) ? raw.props : (raw as Json | undefined);
  const wanted = keys.map((k) => k.toLowerCase());
  const key = source && typeof source === 'object' ? Object.keys(source).find((k) => wanted.includes(k.toLowerCase())) : undefined;
  if (key === undefined || typeof source![key] !== 'string') throw notSimulated(`${call.command} -InputObject without ${keys[0]}`);
  return source![key];
}

export interface GraphCall {
  call: CommandCall;
  lab: CommandContext;
  request: (path: string, version?: 'v1.0' | 'beta') => GraphRequest;
}

/**
 * A generated cmdlet: without a Connect-MgGraph sign-in in this process it writes "Authentication needed";
 * a service error is written as the catalog error the cmdlet raises for it (non-terminating, as WriteError).
 */
export function generatedCmdlet(run: (g: GraphCall) => Promise<unknown[]>): CommandSimulation {
  return async (call, lab) => {
    const connection = connectionOf(call.process);
    const CommandClass = commandClass(call);
    if (!connection) {
      lab.writeError('GraphAuthenticationNeeded', { CommandClass });
      return [];
    }
    refuseUnsimulated(call);
    try {
      return await run({ call, lab, request: (path, version = 'v1.0') => graphRequest(lab, connection, version, path) });
    } catch (error) {
      if (!(error instanceof GraphServiceError)) throw error;
      lab.writeError(error.errorKey, { ...error.fill, CommandClass });
      return [];
    }
  };
}
