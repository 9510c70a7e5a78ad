import { badRequest, GraphServiceError, notSimulated } from './errors';

/**
 * The OData query options the Graph service applies to a collection: $filter (comparisons, startswith/endswith,
 * and/or/not), $select, $orderby, $top/$skip. Entra ID and Intune compare strings case-insensitively.
 */

export type Json = Record<string, unknown>;

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; operand: Node }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'function'; name: string; property: string; value: unknown };

type Operand = { kind: 'property'; path: string } | { kind: 'literal'; value: unknown };

const TOKEN = /\s*(\(|\)|,|'(?:[^']|'')*'|[A-Za-z_@][A-Za-z0-9_./@]*|-?\d+(?:\.\d+)?)/y;

function tokenize(text: string, invalid: () => GraphServiceError): string[] {
  const tokens: string[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(text);
    if (!match) throw invalid();
    tokens.push(match[1]);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

function literal(token: string): Operand | undefined {
  if (token.startsWith("'")) return { kind: 'literal', value: token.slice(1, -1).replace(/''/g, "'") };
  if (token === 'true' || token === 'false') return { kind: 'literal', value: token === 'true' };
  if (token === 'null') return { kind: 'literal', value: null };
  if (/^-?\d/.test(token)) return { kind: 'literal', value: Number(token) };
  return undefined;
}

export function parseFilter(text: string, errorCode: string): Node {
  const invalid = () => badRequest(errorCode, `Invalid filter clause: ${text}`);
  const tokens = tokenize(text, invalid);
  let at = 0;
  const peek = () => tokens[at]?.toLowerCase();
  const next = () => {
    const token = tokens[at++];
    if (token === undefined) throw invalid();
    return token;
  };
  const expect = (wanted: string) => {
    if (next().toLowerCase() !== wanted) throw invalid();
  };
  const operand = (): Operand => {
    const token = next();
    return literal(token) ?? { kind: 'property', path: token };
  };
  const primary = (): Node => {
    if (peek() === '(') {
      next();
      const inner = or();
      expect(')');
      return inner;
    }
    if (peek() === 'not') {
      next();
      return { kind: 'not', operand: primary() };
    }
    if ((peek() === 'startswith' || peek() === 'endswith') && tokens[at + 1] === '(') {
      const name = next().toLowerCase();
      expect('(');
      const property = next();
      expect(',');
      const value = literal(next());
      expect(')');
      if (!value || value.kind !== 'literal') throw invalid();
      return { kind: 'function', name, property, value: value.value };
    }
    const left = operand();
    const op = next().toLowerCase();
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw invalid();
    return { kind: 'compare', op, left, right: operand() };
  };
  const and = (): Node => {
    let node = primary();
    while (peek() === 'and') {
      next();
      node = { kind: 'and', left: node, right: primary() };
    }
    return node;
  };
  const or = (): Node => {
    let node = and();
    while (peek() === 'or') {
      next();
      node = { kind: 'or', left: node, right: and() };
    }
    return node;
  };
  const tree = or();
  if (at !== tokens.length) throw invalid();
  return tree;
}

function property(entity: Json, path: string): { found: boolean; value: unknown } {
  let current: unknown = entity;
  for (const segment of path.split('/')) {
    if (current === null || typeof current !== 'object') return { found: false, value: undefined };
    const key = Object.keys(current as Json).find((k) => k.toLowerCase() === segment.toLowerCase());
    if (key === undefined) return { found: false, value: undefined };
    current = (current as Json)[key];
  }
  return { found: true, value: current };
}

const fold = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

function compare(op: string, left: unknown, right: unknown): boolean {
  const a = fold(left);
  const b = fold(right);
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return (a as number) > (b as number);
    case 'ge':
      return (a as number) >= (b as number);
    case 'lt':
      return (a as number) < (b as number);
    default:
      return (a as number) <= (b as number);
  }
}

/** Evaluates a parsed $filter on one entity; a property the type lacks is the service's 400. */
export function matches(node: Node, entity: Json, known: (path: string) => boolean, errorCode: string, typeName: string): boolean {
  const value = (operand: Operand) => {
    if (operand.kind === 'literal') return operand.value;
    if (!known(operand.path)) throw badRequest(errorCode, `Could not find a property named '${operand.path}' on type '${typeName}'.`);
    return property(entity, operand.path).value ?? null;
  };
  switch (node.kind) {
    case 'and':
      return matches(node.left, entity, known, errorCode, typeName) && matches(node.right, entity, known, errorCode, typeName);
    case 'or':
      return matches(node.left, entity, known, errorCode, typeName) || matches(node.right, entity, known, errorCode, typeName);
    case 'not':
      return !matches(node.operand, entity, known, errorCode, typeName);
    case 'function': {
      const text = String(value({ kind: 'property', path: node.property }) ?? '').toLowerCase();
      const wanted = String(node.value).toLowerCase();
      return node.name === 'startswith' ? text.startsWith(wanted) : text.endsWith(wanted);
    }
    default:
      return compare(node.op, value(node.left), value(node.right));
  }
}

export interface CollectionQuery {
  filter?: string;
  select?: string[];
  orderBy?: string[];
  top?: number;
  skip?: number;
}

export interface CollectionRules {
  /** The entity type, for error texts (microsoft.graph.group). */
  typeName: string;
  /** The error code of a bad query: 'Request_BadRequest' (directory) or 'BadRequest' (Intune). */
  errorCode: string;
  /** Members the type declares (for $filter/$select/$orderby). */
  members: string[];
  /** The directory refuses $skip. */
  skipSupported: boolean;
}

/** Applies $filter, $orderby and $skip; returns the entities that match, in order (paging is the caller's). */
export function query(entities: Json[], q: CollectionQuery, rules: CollectionRules): Json[] {
  const known = (path: string) => rules.members.some((m) => m.toLowerCase() === path.split('/')[0].toLowerCase());
  let result = entities;
  if (q.filter !== undefined && q.filter.trim() !== '') {
    if (/\/(any|all)\(|\s(in|has)\s|\b(contains|isof|cast)\(/i.test(q.filter)) throw notSimulated(`$filter=${q.filter}`);
    const tree = parseFilter(q.filter, rules.errorCode);
    result = result.filter((entity) => matches(tree, entity, known, rules.errorCode, rules.typeName));
  }
  for (const clause of [...(q.orderBy ?? [])].reverse()) {
    const [path, direction = 'asc'] = clause.trim().split(/\s+/);
    if (!known(path)) throw badRequest(rules.errorCode, `Could not find a property named '${path}' on type '${rules.typeName}'.`);
    const sign = direction.toLowerCase() === 'desc' ? -1 : 1;
    result = [...result].sort((a, b) => sign * String(fold(property(a, path).value) ?? '').localeCompare(String(fold(property(b, path).value) ?? '')));
  }
  if (q.skip !== undefined) {
    if (!rules.skipSupported) throw badRequest(rules.errorCode, "'$skip' is not supported by the service.");
    result = result.slice(q.skip);
  }
  return result;
}

/** $select: only the selected members (and the entity's '@odata.type', which OData always writes for a derived type). */
export function select(entity: Json, members: string[] | undefined, rules: CollectionRules): Json {
  if (!members || members.length === 0) return entity;
  const wanted = members.flatMap((m) => m.split(',')).map((m) => m.trim()).filter((m) => m.length > 0);
  for (const member of wanted) {
    if (!rules.members.some((m) => m.toLowerCase() === member.toLowerCase())) {
      throw badRequest(rules.errorCode, `Could not find a property named '${member}' on type '${rules.typeName}'.`);
    }
  }
  const picked: Json = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key === '@odata.type' || wanted.some((m) => m.toLowerCase() === key.toLowerCase())) picked[key] = value;
  }
  return picked;
}
