/**
 * The -Filter syntax of the ActiveDirectory cmdlets (about_ActiveDirectory_Filter): '*', or
 * <property> <operator> <value> components joined by -and / -or, negated by -not, grouped by parentheses.
 * Operators -eq -ne -like -notlike -lt -le -gt -ge -approx -band -bor; values are quoted strings, numbers,
 * $true / $false / $null. A variable in the filter text is expanded by the real cmdlet in the caller's scope;
 * the lab receives the text only, so such a filter is reported as a lab limitation, not as a parse error.
 */

export class AdFilterError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(reason);
  }
}

export class AdFilterUnsupported extends Error {}

type Value = string | number | boolean | null;
export type AdFilterNode =
  | { kind: 'all' }
  | { kind: 'and' | 'or'; left: AdFilterNode; right: AdFilterNode }
  | { kind: 'not'; item: AdFilterNode }
  | { kind: 'compare'; property: string; operator: string; value: Value };

const OPERATORS = new Set(['-eq', '-ne', '-like', '-notlike', '-lt', '-le', '-gt', '-ge', '-approx', '-band', '-bor', '-recursivematch']);

interface Token {
  text: string;
  position: number;
  quoted?: boolean;
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(' || c === ')' || c === '{' || c === '}') {
      tokens.push({ text: c, position: i + 1 });
      i += 1;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < filter.length) {
        if (filter[j] === c && filter[j + 1] === c) {
          text += c;
          j += 2;
        } else if (filter[j] === c) break;
        else text += filter[j++];
      }
      if (j >= filter.length) throw new AdFilterError('syntax error', i + 1);
      tokens.push({ text, position: i + 1, quoted: true });
      i = j + 1;
    } else {
      let j = i;
      while (j < filter.length && !/[\s(){}'"]/.test(filter[j])) j += 1;
      tokens.push({ text: filter.slice(i, j), position: i + 1 });
      i = j;
    }
  }
  return tokens;
}

export function parseAdFilter(filter: string): AdFilterNode {
  if (filter.trim() === '*') return { kind: 'all' };
  const tokens = tokenize(filter);
  let index = 0;
  const peek = () => tokens[index];
  const end = filter.length + 1;
  const fail = (token?: Token): never => {
    throw new AdFilterError('syntax error', token?.position ?? end);
  };
  const value = (): Value => {
    const token = peek() ?? fail();
    index += 1;
    if (token.quoted) return token.text;
    const text = token.text;
    if (/^\$(true|false|null)$/i.test(text)) return text.toLowerCase() === '$true' ? true : text.toLowerCase() === '$false' ? false : null;
    if (text.startsWith('$')) throw new AdFilterUnsupported(`the -Filter text names the variable ${text}; the real cmdlet expands it in the caller's scope, which the lab cannot see (use a literal value)`);
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (text === '*') return '*';
    return fail(token);
  };
  const component = (): AdFilterNode => {
    const token = peek() ?? fail();
    if (token.text.toLowerCase() === '-not') {
      index += 1;
      return { kind: 'not', item: component() };
    }
    if (token.text === '(') {
      index += 1;
      const inner = expression();
      if (peek()?.text !== ')') fail(peek());
      index += 1;
      return inner;
    }
    if (token.quoted || !/^[A-Za-z][A-Za-z0-9-]*$/.test(token.text)) fail(token);
    index += 1;
    const operator = peek() ?? fail();
    if (!OPERATORS.has(operator.text.toLowerCase())) fail(operator);
    index += 1;
    return { kind: 'compare', property: token.text, operator: operator.text.toLowerCase(), value: value() };
  };
  const expression = (): AdFilterNode => {
    let left = component();
    while (peek() && /^-(and|or)$/i.test(peek().text)) {
      const kind = peek().text.toLowerCase() === '-and' ? 'and' : 'or';
      index += 1;
      left = { kind, left, right: component() };
    }
    return left;
  };
  let braces = false;
  if (peek()?.text === '{') {
    braces = true;
    index += 1;
  }
  const node = expression();
  if (braces) {
    if (peek()?.text !== '}') fail(peek());
    index += 1;
  }
  if (index < tokens.length) fail(tokens[index]);
  return node;
}

/** Values of a property on the object being tested (empty when it has none). */
export type PropertyLookup = (property: string) => Array<string | number | boolean>;

function compare(a: string | number | boolean, b: Value): number {
  const x = Number(a);
  const y = Number(b);
  if (typeof b !== 'boolean' && b !== null && String(a).trim() !== '' && String(b).trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

function like(value: string | number | boolean, pattern: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'is');
  return regex.test(String(value));
}

export function matchesAdFilter(node: AdFilterNode, lookup: PropertyLookup): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'and':
      return matchesAdFilter(node.left, lookup) && matchesAdFilter(node.right, lookup);
    case 'or':
      return matchesAdFilter(node.left, lookup) || matchesAdFilter(node.right, lookup);
    case 'not':
      return !matchesAdFilter(node.item, lookup);
    case 'compare': {
      const values = lookup(node.property);
      const wanted = node.value;
      switch (node.operator) {
        case '-eq':
        case '-approx':
        case '-recursivematch':
          if (wanted === null) return values.length === 0;
          if (wanted === '*') return values.length > 0;
          return values.some((v) => (typeof wanted === 'boolean' ? v === wanted : compare(v, wanted) === 0));
        case '-ne':
          if (wanted === null) return values.length > 0;
          return !values.some((v) => (typeof wanted === 'boolean' ? v === wanted : compare(v, wanted) === 0));
        case '-like':
          return values.some((v) => like(v, String(wanted)));
        case '-notlike':
          return !values.some((v) => like(v, String(wanted)));
        case '-lt':
          return values.some((v) => compare(v, wanted) < 0);
        case '-le':
          return values.some((v) => compare(v, wanted) <= 0);
        case '-gt':
          return values.some((v) => compare(v, wanted) > 0);
        case '-ge':
          return values.some((v) => compare(v, wanted) >= 0);
        case '-band':
          return values.some((v) => (Number(v) & Number(wanted)) === Number(wanted));
        case '-bor':
          return values.some((v) => (Number(v) & Number(wanted)) !== 0);
      }
      return false;
    }
  }
}
