import type { Catalog } from '../windows/catalog';
import type { LabObject } from '../windows/commands/types';

/**
 * Values to the stubs, typed by the catalog's declared property type, so that PowerShell re-creates an Int32,
 * a DateTime, a Guid or a nested typed object exactly where the real command has one.
 */
export function encodeValue(catalog: Catalog, declared: string, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return null;
  const type = declared.endsWith('?') ? declared.slice(0, -1) : declared;
  switch (type) {
    case 'string':
      return expect(typeof value === 'string', value, type, where) && value;
    case 'bool':
      return expect(typeof value === 'boolean', value, type, where) && value;
    case 'int':
    case 'long':
    case 'uint':
      expect(typeof value === 'number' && Number.isInteger(value), value, type, where);
      return { $t: type, v: value };
    case 'double':
      expect(typeof value === 'number', value, type, where);
      return value;
    case 'datetime':
      expect(typeof value === 'string' || value instanceof Date, value, type, where);
      return { $t: 'datetime', v: value instanceof Date ? value.toISOString() : value };
    case 'guid':
    case 'version':
      expect(typeof value === 'string', value, type, where);
      return { $t: type, v: value };
    case 'string[]':
      expect(Array.isArray(value) && value.every((v) => typeof v === 'string'), value, type, where);
      return { $t: 'string[]', v: value };
    case 'hashtable':
    case 'dictionary':
      expect(typeof value === 'object' && !Array.isArray(value), value, type, where);
      return { $t: type, v: encodeLoose(value) };
    case 'object':
      return encodeLoose(value);
    case 'object[]':
      expect(Array.isArray(value), value, type, where);
      return (value as unknown[]).map(encodeLoose);
  }
  if (type.endsWith('[]')) {
    expect(Array.isArray(value), value, type, where);
    return (value as unknown[]).map((item, index) => encodeValue(catalog, type.slice(0, -2), item, `${where}[${index}]`));
  }
  if (!catalog.type(type)) throw new Error(`${where}: the catalog declares no type ${type}`);
  const object = value as LabObject;
  expect(object?.$t === 'object' && object.types.includes(type), value, type, where);
  return object;
}

/** Untyped values (Graph JSON bodies, `object` properties): nested typed objects stay as they are. */
function encodeLoose(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(encodeLoose);
  if (typeof value === 'object') {
    if ((value as LabObject).$t === 'object') return value;
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, encodeLoose(v)]));
  }
  return value;
}

function expect(ok: boolean, value: unknown, type: string, where: string): true {
  if (!ok) throw new Error(`${where}: expected a ${type}, the simulation gave ${JSON.stringify(value)?.slice(0, 120)}`);
  return true;
}

/** Parameters from the stubs: {$t: pscredential|securestring|scriptblock|datetime|object|certificate} -> plain values. */
export function decodeParameter(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeParameter);
  const tagged = value as Record<string, unknown>;
  switch (tagged.$t) {
    case 'pscredential':
      return { userName: tagged.userName, password: tagged.password };
    case 'securestring':
    case 'scriptblock':
    case 'datetime':
      return tagged.v;
    case 'certificate':
      return { thumbprint: tagged.thumbprint };
    case 'object':
      return { type: tagged.type, props: decodeParameter(tagged.props) };
    default:
      return Object.fromEntries(Object.entries(tagged).map(([k, v]) => [k, decodeParameter(v)]));
  }
}
