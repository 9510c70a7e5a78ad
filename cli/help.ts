import type { CommandGroup, CommandSpec, OptionSpec } from './command';
import { EXIT_CODE_TABLE } from './exit-codes';
import { GLOBAL_OPTIONS, subcommands } from './invocation';
import { UsageError } from './usage-error';

const GROUP_TITLES: Record<CommandGroup, string> = {
  rollouts: 'Rollouts',
  runs: 'Runs (by workflow id, as `list` shows them)',
  runbooks: 'Runbooks',
  schedules: 'Schedules',
  lab: 'Lab estate (the simulated hybrid estate the lab PowerShell host answers from)',
  service: 'Service',
  tokens: 'HTTP API tokens',
};

const usageOf = (command: CommandSpec) => [command.name, ...command.args].join(' ');

function optionLabel(name: string, option: OptionSpec): string {
  const long = `--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const labels = Object.entries(options).map(([name, option]) => [optionLabel(name, option), `${option.description}${option.multiple ? ' (repeatable)' : ''}`]);
  const width = Math.max(...labels.map(([label]) => label.length));
  return labels.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`);
}

export function topLevelHelp(commands: CommandSpec[], version: string): string[] {
  const width = Math.max(...commands.map((c) => usageOf(c).length));
  const lines = [
    `cloudtrust ${version}: rolls out Windows Hello for Business cloud Kerberos trust across hybrid AD estates, on Temporal.`,
    '',
    'Usage: cloudtrust <command> [arguments] [options]',
  ];
  for (const group of Object.keys(GROUP_TITLES) as CommandGroup[]) {
    const members = commands.filter((c) => c.group === group);
    if (members.length === 0) continue;
    lines.push('', `${GROUP_TITLES[group]}:`, ...members.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`));
  }
  lines.push(
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Commands that start or read runs talk to a Temporal server that is already running: the embedded one',
    '`cloudtrust server` starts (127.0.0.1, CLOUDTRUST_DEV_PORT), or the one TEMPORAL_ADDRESS names. They decrypt',
    "payloads with the worker's key: CLOUDTRUST_CODEC_KEY, CLOUDTRUST_CODEC_KEY_FILE, or codec.key in CLOUDTRUST_DATA_DIR.",
    'The README lists every environment variable.',
    '',
    'Exit codes:',
    ...EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`),
    '',
    'More on one command: `cloudtrust help <command>` or `cloudtrust <command> --help`.',
  );
  return lines;
}

export function commandHelp(command: CommandSpec): string[] {
  const lines = [`Usage: cloudtrust ${usageOf(command)}${command.options ? ' [options]' : ''}`, '', `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`];
  if (command.details) lines.push('', ...command.details);
  if (command.options) lines.push('', 'Options:', ...optionLines(command.options));
  lines.push('', 'Global options: --json, --debug, --no-color, -h/--help (`cloudtrust help` has the exit codes).');
  return lines;
}

/** Help for a command, a family of commands (`schedule`), or everything. */
export function helpFor(topic: string[], commands: CommandSpec[], version: string): string[] {
  if (topic.length === 0) return topLevelHelp(commands, version);
  const name = topic.join(' ');
  const command = commands.find((c) => c.name === name);
  if (command) return commandHelp(command);
  const family = subcommands(name, commands);
  if (family.length > 0) {
    const members = commands.filter((c) => c.name.startsWith(`${name} `));
    const width = Math.max(...members.map((c) => usageOf(c).length));
    return [`Usage: cloudtrust ${name} <${family.join('|')}> ...`, '', ...members.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`), '', `More: \`cloudtrust help ${name} <subcommand>\`.`];
  }
  throw new UsageError(`no help on "${name}": it is not a command`);
}
