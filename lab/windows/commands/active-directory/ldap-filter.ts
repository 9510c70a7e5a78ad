import { attribute, type DirectoryObject } from './directory';
import { dnKey } from './names';

/**
 * LDAP search filters as RFC 4515 writes them: (&...), (|...), (!...), equality, presence (=*), substrings
 * (with * wildcards), >=, <=, ~= (approximate: equality here) and the extensible matches AD implements for
 * bit masks (LDAP_MATCHING_RULE_BIT_AND 1.2.840.113556.1.4.803 / _BIT_OR .804) and chains (.1941, compared
 * directly: the lab's groups do not nest). Values compare case-insensitively (AD's string syntaxes), DNs as DNs,
 * objectClass against every class of the object, objectCategory also by its short name (AD accepts
 * (objectCategory=computer)).
 */

export class LdapFilterError extends Error {}

type Node =
  | { kind: 'and' | 'or'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'present'; attribute: string }
  | { kind: 'equal' | 'greater' | 'less' | 'approx'; attribute: string; value: string }
  | { kind: 'substring'; attribute: string; pattern: RegExp }
  | { kind: 'extensible'; attribute: string; rule: string; value: string };

const ATTRIBUTE = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)(;[A-Za-z0-9-]+)*$/;

export function parseLdapFilter(text: string): Node {
  let position = 0;
  const fail = (why: string): never => {
    throw new LdapFilterError(`${why} at ${position} in ${text}`);
  };
  const filter = (): Node => {
    if (text[position] !== '(') fail('expected (');
    position += 1;
    let node: Node;
    const head = text[position];
    if (head === '&' || head === '|') {
      position += 1;
      const items: Node[] = [];
      while (text[position] === '(') items.push(filter());
      if (items.length === 0) fail('empty filter list');
      node = { kind: head === '&' ? 'and' : 'or', items };
    } else if (head === '!') {
      position += 1;
      node = { kind: 'not', item: filter() };
    } else {
      node = item();
    }
    if (text[position] !== ')') fail('expected )');
    position += 1;
    return node;
  };
  const item = (): Node => {
    const end = text.indexOf(')', position);
    if (end < 0) fail('unterminated item');
    const body = text.slice(position, end);
    const match = /^([^=~<>:]*)((?::[A-Za-z0-9.]+)*)(:=|=|~=|>=|<=)(.*)$/s.exec(body) ?? fail('not an attribute value assertion');
    const [, name, extension, , raw] = match;
    let operator = match[3];
    position = end;
    if (operator === ':=') {
      const parts = extension.split(':').filter((p) => p !== '' && p.toLowerCase() !== 'dn');
      if (parts.length !== 1 || !/^[0-9.]+$/.test(parts[0]) || !ATTRIBUTE.test(name)) fail('unsupported extensible match');
      return { kind: 'extensible', attribute: name, rule: parts[0], value: unescape(raw, fail) };
    }
    if (extension !== '') fail('bad attribute');
    if (!ATTRIBUTE.test(name)) fail('bad attribute');
    if (operator === '=' && raw === '*') return { kind: 'present', attribute: name };
    if (operator === '=' && raw.includes('*')) {
      const parts = raw.split('*').map((p) => unescape(p, fail).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      return { kind: 'substring', attribute: name, pattern: new RegExp(`^${parts.join('.*')}$`, 'is') };
    }
    operator = operator === '>=' ? 'greater' : operator === '<=' ? 'less' : operator === '~=' ? 'approx' : 'equal';
    return { kind: operator as 'equal', attribute: name, value: unescape(raw, fail) };
  };
  const node = filter();
  if (position !== text.length) fail('text after the filter');
  return node;
}

function unescape(value: string, fail: (why: string) => never): string {
  return value.replace(/\\(..)?/g, (_whole, hex: string | undefined) => {
    if (!hex || !/^[0-9A-Fa-f]{2}$/.test(hex)) fail('bad escape');
    return String.fromCharCode(parseInt(hex, 16));
  });
}

function values(object: DirectoryObject, name: string): string[] {
  const found = attribute(object, name);
  if (!found) return [];
  const raw = found.value;
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

const DN_ATTRIBUTES = new Set(['distinguishedname', 'member', 'memberof', 'managedby', 'objectcategory']);

function equals(object: DirectoryObject, name: string, wanted: string): boolean {
  const lower = name.toLowerCase();
  if (lower === 'objectcategory' && !wanted.includes('=')) {
    const structural = object.objectClass[object.objectClass.length - 1];
    const category = values(object, 'objectCategory')[0] ?? '';
    const short = category.slice(3, category.indexOf(',')).replace(/-/g, '').toLowerCase();
    return wanted.toLowerCase() === structural.toLowerCase() || wanted.replace(/-/g, '').toLowerCase() === short || (wanted.toLowerCase() === 'person' && short === 'person');
  }
  if (DN_ATTRIBUTES.has(lower)) return values(object, name).some((v) => dnKey(v) === dnKey(wanted));
  return values(object, name).some((v) => v.toLowerCase() === wanted.toLowerCase());
}

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a.toLowerCase().localeCompare(b.toLowerCase());
}

export function matchesLdap(node: Node, object: DirectoryObject): boolean {
  switch (node.kind) {
    case 'and':
      return node.items.every((n) => matchesLdap(n, object));
    case 'or':
      return node.items.some((n) => matchesLdap(n, object));
    case 'not':
      return !matchesLdap(node.item, object);
    case 'present':
      return values(object, node.attribute).length > 0;
    case 'equal':
    case 'approx':
      return equals(object, node.attribute, node.value);
    case 'greater':
      return values(object, node.attribute).some((v) => compare(v, node.value) >= 0);
    case 'less':
      return values(object, node.attribute).some((v) => compare(v, node.value) <= 0);
    case 'substring':
      return values(object, node.attribute).some((v) => node.pattern.test(v));
    case 'extensible': {
      const mask = BigInt.asUintN(32, BigInt(Number(node.value) || 0));
      const bits = (v: string) => BigInt.asUintN(32, BigInt(Math.trunc(Number(v)) || 0));
      if (node.rule === '1.2.840.113556.1.4.803') return values(object, node.attribute).some((v) => (bits(v) & mask) === mask);
      if (node.rule === '1.2.840.113556.1.4.804') return values(object, node.attribute).some((v) => (bits(v) & mask) !== 0n);
      if (node.rule === '1.2.840.113556.1.4.1941') return equals(object, node.attribute, node.value);
      return false;
    }
  }
}
