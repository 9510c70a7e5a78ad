#!/usr/bin/env node
// Parses PowerShell scripts with tree-sitter-powershell (wasm build, loaded by web-tree-sitter) and prints,
// as one JSON document, the facts the static rules in powershell-rules.ts work on.
//
//   node test/static/powershell-ast.mjs <file.ps1>...          facts for every file
//   node test/static/powershell-ast.mjs --tree <file.ps1>      collapsed syntax tree, for writing new rules
//
// This is an ES module because tree-sitter-powershell is ESM-only with top-level await; jest (CommonJS)
// runs it as a child process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

// The grammar wraps every expression in its full precedence chain; these wrappers say nothing when they
// have a single child.
const PRECEDENCE_WRAPPERS = new Set([
  'pipeline',
  'pipeline_chain',
  'logical_expression',
  'bitwise_expression',
  'comparison_expression',
  'additive_expression',
  'multiplicative_expression',
  'format_expression',
  'range_expression',
  'array_literal_expression',
  'unary_expression',
  'argument_expression',
  'logical_argument_expression',
  'bitwise_argument_expression',
  'comparison_argument_expression',
  'additive_argument_expression',
  'multiplicative_argument_expression',
  'format_argument_expression',
  'range_argument_expression',
]);

// Anything under these runs in a new scope, so it is not "script scope".
const SCOPE_CREATING = new Set(['function_statement', 'script_block_expression', 'class_statement']);

const STRING_CONTENT = new Set([
  'expandable_string_literal',
  'expandable_here_string_literal',
  'verbatim_string_characters',
  'verbatim_here_string_characters',
]);

// Masked out of codeLines so that text rules only ever see code: literal text, comments, bare words
// (`C:\foo?.txt`) and command names (the `?` alias of Where-Object).
const MASKED_WHOLE = new Set(['comment', 'generic_token', 'command_name']);

export async function createPowerShellParser() {
  // The grammar's parse function is huge: V8's optimising wasm tier spends seconds compiling it in the
  // background (and exit waits for that), while the baseline tier parses these scripts in milliseconds.
  setFlagsFromString('--liftoff-only');
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

export function collapse(node) {
  let current = node;
  while (PRECEDENCE_WRAPPERS.has(current.type) && current.childCount === 1 && current.firstChild.isNamed) {
    current = current.firstChild;
  }
  return current;
}

function lineOf(node) {
  return node.startPosition.row + 1;
}

function columnOf(node) {
  return node.startPosition.column + 1;
}

function firstLineTrimmed(text) {
  const line = text.trim().split(/\r?\n/)[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}

/** The token an ERROR node could not fit: its first skipped token, after the parts that did parse. */
function culpritOf(error) {
  return error.children.find((c) => !c.isExtra && (c.isError || !c.isNamed || c.type === 'simple_name')) ?? error;
}

function errorOf(node) {
  if (node.isMissing) {
    return { line: lineOf(node), endLine: lineOf(node), column: columnOf(node), text: `missing ${node.type}` };
  }
  const skipped = culpritOf(node);
  const culprit = node.text.slice(skipped.startIndex - node.startIndex).trim() === '' ? node : skipped;
  const text = node.text.slice(culprit.startIndex - node.startIndex);
  const leading = text.length - text.trimStart().length;
  const before = text.slice(0, leading);
  const newlines = before.split('\n').length - 1;
  const line = lineOf(culprit) + newlines;
  const column = newlines === 0 ? columnOf(culprit) + leading : before.length - before.lastIndexOf('\n');
  return { line, endLine: node.endPosition.row + 1, column, text: firstLineTrimmed(text) || '(end of input)' };
}

function unquote(literal) {
  const text = literal.text;
  if (literal.type === 'verbatim_string_characters') return text.slice(1, -1).replace(/''/g, "'");
  if (literal.type === 'expandable_string_literal' && literal.namedChildCount === 0) return text.slice(1, -1);
  return null;
}

function stringValueOf(node) {
  const value = collapse(node);
  if (value.type !== 'string_literal' || value.namedChildCount !== 1) return null;
  return unquote(value.firstNamedChild);
}

function commandFacts(command, inScriptScope) {
  const operator = command.children.find((child) => child.type === 'command_invokation_operator');
  const nameExpr = command.namedChildren.find((child) => child.type === 'command_name_expr');
  const nameNode =
    command.namedChildren.find((child) => child.type === 'command_name') ??
    nameExpr?.namedChildren.find((child) => child.type === 'command_name') ??
    null;
  const elements = command.namedChildren.find((child) => child.type === 'command_elements');
  const parameters = [];
  const splats = [];
  for (const element of elements?.namedChildren ?? []) {
    if (element.type === 'command_parameter') {
      parameters.push({ name: element.text.replace(/^-/, '').replace(/:$/, ''), line: lineOf(element), column: columnOf(element) });
    } else {
      const value = collapse(element);
      if (value.type === 'variable' && value.text.startsWith('@')) splats.push({ variable: variableName(value), line: lineOf(value) });
    }
  }
  return {
    name: nameNode ? nameNode.text : null,
    nameExpression: nameNode ? null : (nameExpr?.text ?? null),
    invocationOperator: operator ? operator.text : null,
    line: lineOf(command),
    column: columnOf(command),
    parameters,
    splats,
    hasSplat: splats.length > 0,
    inScriptScope,
  };
}

/** `$script:Params`, `@Params` and `${Params}` all name the variable `params`. */
function variableName(variable) {
  return variable.text.replace(/^[$@]\{?/, '').replace(/\}$/, '').replace(/^(script|local|global|private):/i, '').toLowerCase();
}

function literalKey(node) {
  const key = collapse(node.type === 'key_expression' ? node.namedChildren[0] : node);
  if (key.type === 'simple_name' || key.type === 'generic_token') return key.text;
  return stringValueOf(key);
}

function hashLiteralOf(value) {
  const node = collapse(value);
  if (node.type === 'hash_literal_expression') return node;
  const cast = node.type === 'expression_with_unary_operator' ? node.namedChildren[0] : node;
  if (cast?.type !== 'cast_expression') return null;
  const [type, operand] = cast.namedChildren;
  const ordered = type?.text.replace(/\s/g, '').toLowerCase() === '[ordered]';
  return ordered && operand && collapse(operand).type === 'hash_literal_expression' ? collapse(operand) : null;
}

/**
 * What an assignment or `.Add()` call tells about a variable as a splatting source: a new table with
 * known keys, a new value of unknown shape (keys null), or one more key on the existing table.
 */
function hashtableFacts(node) {
  if (node.type === 'invokation_expression') {
    const [target, member, argumentList] = node.namedChildren;
    const firstArgument = argumentList?.namedChildren[0]?.namedChildren[0];
    if (target?.type !== 'variable' || member?.text.toLowerCase() !== 'add' || !firstArgument) return null;
    const key = literalKey(firstArgument);
    return key === null ? null : { variable: variableName(target), line: lineOf(node), replaces: false, keys: [{ name: key, line: lineOf(node) }] };
  }
  const left = node.namedChildren.find((child) => child.type === 'left_assignment_expression');
  const operator = node.namedChildren.find((child) => child.type === 'assignement_operator');
  const target = left ? collapse(left.namedChildren[0] ?? left) : null;
  if (!target) return null;
  if (target.type === 'variable') {
    const value = node.namedChildren[node.namedChildren.length - 1];
    const table = operator?.text === '=' && value ? hashLiteralOf(value) : null;
    const keys = table
      ? table.descendantsOfType('hash_entry')
          .filter((entry) => entry.parent?.parent?.id === table.id)
          .map((entry) => ({ name: literalKey(entry.namedChildren[0]), line: lineOf(entry) }))
      : null;
    const knownKeys = keys && keys.every((key) => key.name !== null) ? keys : null;
    return { variable: variableName(target), line: lineOf(node), replaces: true, keys: knownKeys };
  }
  const [object, selector] = target.namedChildren;
  if (object?.type !== 'variable' || !selector) return null;
  const key = target.type === 'member_access' ? selector.text : target.type === 'element_access' ? literalKey(selector) : null;
  return key === null ? null : { variable: variableName(object), line: lineOf(node), replaces: false, keys: [{ name: key, line: lineOf(node) }] };
}

function memberAccessFacts(node) {
  const target = node.namedChildren[0];
  const member = node.namedChildren.find((child) => child.type === 'member_name');
  if (!target || !member) return null;
  const isStatic = node.children.some((child) => child.type === '::');
  return {
    target: collapse(target).text,
    targetIsType: collapse(target).type === 'type_literal',
    member: member.text,
    isStatic,
    isInvocation: node.type === 'invokation_expression',
    line: lineOf(member),
    column: columnOf(member),
  };
}

function assignmentFacts(node, inScriptScope) {
  const left = node.namedChildren.find((child) => child.type === 'left_assignment_expression');
  const operator = node.namedChildren.find((child) => child.type === 'assignement_operator');
  const value = node.namedChildren[node.namedChildren.length - 1];
  return {
    target: left ? collapse(left.namedChildren[0] ?? left).text : '',
    operator: operator ? operator.text : '=',
    value: value ? firstLineTrimmed(collapse(value).text) : '',
    stringValue: value ? stringValueOf(value) : null,
    line: lineOf(node),
    inScriptScope,
  };
}

function maskRange(mask, from, to) {
  for (let index = from; index < to; index += 1) {
    if (mask[index] !== '\n' && mask[index] !== '\r') mask[index] = ' ';
  }
}

function unmaskRange(mask, source, from, to) {
  for (let index = from; index < to; index += 1) mask[index] = source[index];
}

export function analyseSource(parser, file, rawSource) {
  const hasBom = rawSource.charCodeAt(0) === 0xfeff;
  const source = hasBom ? rawSource.slice(1) : rawSource;
  const tree = parser.parse(source);
  const facts = {
    file,
    hasBom,
    firstNonAsciiLine: null,
    errors: [],
    commands: [],
    functions: [],
    assignments: [],
    memberAccesses: [],
    hashtables: [],
    flowControl: [],
    chainOperators: [],
    lines: source.split(/\r?\n/),
    codeLines: [],
  };
  const mask = source.split('');

  const visit = (node, inScriptScope, insideError) => {
    if ((node.isError || node.isMissing) && !insideError) facts.errors.push(errorOf(node));
    switch (node.type) {
      case 'command':
        facts.commands.push(commandFacts(node, inScriptScope));
        break;
      case 'function_statement': {
        const name = node.namedChildren.find((child) => child.type === 'function_name');
        if (name) facts.functions.push({ name: name.text, line: lineOf(node) });
        break;
      }
      case 'assignment_expression': {
        facts.assignments.push(assignmentFacts(node, inScriptScope));
        const table = hashtableFacts(node);
        if (table) facts.hashtables.push(table);
        break;
      }
      case 'member_access':
      case 'invokation_expression': {
        const access = memberAccessFacts(node);
        if (access) facts.memberAccesses.push(access);
        const table = node.type === 'invokation_expression' ? hashtableFacts(node) : null;
        if (table) facts.hashtables.push(table);
        break;
      }
      case 'flow_control_statement':
        facts.flowControl.push({ keyword: node.firstChild.type, line: lineOf(node) });
        break;
      case 'pipeline_chain_tail':
        facts.chainOperators.push({ operator: node.text.trim(), line: lineOf(node), column: columnOf(node) });
        break;
      case 'sub_expression':
        unmaskRange(mask, source, node.startIndex, node.endIndex);
        break;
      default:
        if (MASKED_WHOLE.has(node.type)) maskRange(mask, node.startIndex, node.endIndex);
        else if (STRING_CONTENT.has(node.type)) maskRange(mask, node.startIndex + 1, node.endIndex - 1);
    }
    const childScope = inScriptScope && !SCOPE_CREATING.has(node.type);
    const childInsideError = insideError || node.isError;
    for (const child of node.children) visit(child, childScope, childInsideError);
  };

  visit(tree.rootNode, true, false);
  facts.codeLines = mask.join('').split(/\r?\n/);
  const nonAscii = facts.lines.findIndex((line) => /[^\x00-\x7f]/.test(line));
  facts.firstNonAsciiLine = nonAscii === -1 ? null : nonAscii + 1;
  tree.delete();
  return facts;
}

function printTree(node, depth, out) {
  const shown = collapse(node);
  const label = shown.isNamed ? shown.type : JSON.stringify(shown.type);
  const showText = shown.childCount === 0 || shown.isError;
  const text = showText ? ` ${JSON.stringify(shown.text.length > 60 ? `${shown.text.slice(0, 60)}…` : shown.text)}` : '';
  out.push(`${'  '.repeat(depth)}${label}${shown.isMissing ? ' MISSING' : ''} @${lineOf(shown)}:${columnOf(shown)}${text}`);
  for (const child of shown.children) printTree(child, depth + 1, out);
}

async function main(argv) {
  const wantsTree = argv[0] === '--tree';
  const files = wantsTree ? argv.slice(1) : argv;
  if (files.length === 0) {
    process.stderr.write('usage: node powershell-ast.mjs [--tree] <file.ps1>...\n');
    return 2;
  }
  const parser = await createPowerShellParser();
  if (wantsTree) {
    for (const file of files) {
      const source = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const tree = parser.parse(source);
      const out = [`# ${file}`];
      printTree(tree.rootNode, 0, out);
      process.stdout.write(`${out.join('\n')}\n`);
      tree.delete();
    }
    return 0;
  }
  const report = {
    parser: 'web-tree-sitter + tree-sitter-powershell.wasm',
    files: files.map((file) => analyseSource(parser, file, readFileSync(file, 'utf8'))),
  };
  process.stdout.write(JSON.stringify(report));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
