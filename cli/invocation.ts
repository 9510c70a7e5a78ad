import { parseArgs } from 'node:util';
import type { CommandInput, CommandSpec, OptionSpec } from './command';
import { UsageError } from './usage-error';

/** Options every command takes, wherever they appear on the line. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'machine-readable output: JSON (NDJSON while following) on stdout, errors as JSON on stderr' },
  debug: { type: 'boolean', description: 'print stack traces with errors' },
  'no-color': { type: 'boolean', description: 'no colours (also when NO_COLOR is set or stdout is not a terminal)' },
  help: { type: 'boolean', short: 'h', description: 'help for cloudtrust or for one command' },
  version: { type: 'boolean', description: "print cloudtrust's version" },
};

export interface GlobalFlags {
  json: boolean;
  debug: boolean;
  noColor: boolean;
  help: boolean;
  version: boolean;
}

export type Invocation =
  | { kind: 'help'; topic: string[]; /** No command was given at all. */ bare: boolean }
  | { kind: 'version' }
  | { kind: 'run'; command: CommandSpec; input: CommandInput };

/** The global flags, read before anything else so even a usage error honours --json. */
export function scanGlobalFlags(argv: string[]): GlobalFlags {
  const end = argv.indexOf('--');
  const tokens = end === -1 ? argv : argv.slice(0, end);
  return {
    json: tokens.includes('--json'),
    debug: tokens.includes('--debug'),
    noColor: tokens.includes('--no-color'),
    help: tokens.includes('--help') || tokens.includes('-h'),
    version: tokens.includes('--version'),
  };
}

const isGlobalToken = (token: string) => token === '-h' || (token.startsWith('--') && token.slice(2) in GLOBAL_OPTIONS);

/** Which command the line names, and its parsed arguments; a UsageError says what is wrong with the line. */
export function resolveInvocation(argv: string[], commands: CommandSpec[]): Invocation {
  const flags = scanGlobalFlags(argv);
  const words: Array<{ word: string; index: number }> = [];
  for (const [index, token] of argv.entries()) {
    if (token === '--') break;
    const expectingWord = words.length === 0 || (words.length === 1 && isFamily(words[0].word, commands));
    if (!expectingWord) break;
    if (token.startsWith('-')) {
      if (isGlobalToken(token)) continue;
      if (words.length === 0) throw new UsageError(`${token} is not a global option: put a command's options after the command`);
      break;
    }
    words.push({ word: token, index });
  }
  if (words.length === 0) return flags.version && !flags.help ? { kind: 'version' } : { kind: 'help', topic: [], bare: !flags.help };
  if (words[0].word === 'help') return { kind: 'help', topic: argv.slice(words[0].index + 1).filter((t) => !t.startsWith('-')), bare: false };

  const name = words.map((w) => w.word).join(' ');
  if (isFamily(words[0].word, commands) && words.length === 1) {
    if (flags.help) return { kind: 'help', topic: [words[0].word], bare: false };
    throw new UsageError(`${words[0].word} needs a subcommand: ${subcommands(words[0].word, commands).join(', ')}`, words[0].word);
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(unknownCommandMessage(name, commands));
  if (flags.help) return { kind: 'help', topic: command.name.split(' '), bare: false };

  const rest = argv.filter((_token, index) => !words.some((w) => w.index === index));
  return { kind: 'run', command, input: parseCommandArgs(command, rest) };
}

function parseCommandArgs(command: CommandSpec, args: string[]): CommandInput {
  const options = Object.fromEntries(
    Object.entries({ ...GLOBAL_OPTIONS, ...command.options }).map(([name, o]) => [name, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
  );
  let parsed: { values: Record<string, string | boolean | Array<string | boolean> | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error), command.name);
  }
  const required = command.args.filter((a) => a.startsWith('<')).length;
  const variadic = command.args.some((a) => a.endsWith('...]') || a.endsWith('...>'));
  if (parsed.positionals.length < required) {
    throw new UsageError(`${command.name} needs ${command.args.slice(parsed.positionals.length).filter((a) => a.startsWith('<')).join(' ')}`, command.name);
  }
  if (!variadic && parsed.positionals.length > command.args.length) {
    throw new UsageError(`${command.name} takes ${command.args.length === 0 ? 'no arguments' : `only ${command.args.join(' ')}`}; unexpected: ${parsed.positionals.slice(command.args.length).join(' ')}`, command.name);
  }
  const values = parsed.values;
  return {
    positionals: parsed.positionals,
    string: (name) => {
      const value = values[name];
      return typeof value === 'string' ? value : undefined;
    },
    strings: (name) => {
      const value = values[name];
      return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
    },
    flag: (name) => values[name] === true,
  };
}

function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Node appends advice on positionals that start with "-"; the first sentence is the point.
  const first = message.split('. To specify a positional')[0].replace(/\.$/, '');
  return `${first[0].toLowerCase()}${first.slice(1)}`;
}

function isFamily(word: string, commands: CommandSpec[]): boolean {
  return commands.some((c) => c.name.startsWith(`${word} `));
}

export function subcommands(family: string, commands: CommandSpec[]): string[] {
  return commands.filter((c) => c.name.startsWith(`${family} `)).map((c) => c.name.slice(family.length + 1));
}

function unknownCommandMessage(name: string, commands: CommandSpec[]): string {
  const candidates = [...new Set(commands.map((c) => c.name))];
  const near = candidates.filter((c) => distance(c, name) <= 2 || c.split(' ')[0] === name.split(' ')[0]).slice(0, 3);
  return `unknown command "${name}"${near.length > 0 ? ` (did you mean ${near.map((c) => `"${c}"`).join(' or ')}?)` : ''}`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
