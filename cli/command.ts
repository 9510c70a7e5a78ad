import type { CliContext } from './context';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once (string options only). */
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in help, e.g. FILE. */
  value?: string;
  description: string;
}

export type CommandGroup = 'rollouts' | 'runs' | 'runbooks' | 'schedules' | 'lab' | 'service' | 'tokens';

export interface CommandSpec {
  /** One or two words: `apply`, `schedule create`. */
  name: string;
  group: CommandGroup;
  summary: string;
  /** Positional arguments in help form: `<spec>` required, `[id]` optional. */
  args: string[];
  options?: Record<string, OptionSpec>;
  /** Further help paragraphs and examples. */
  details?: string[];
  run(ctx: CliContext, input: CommandInput): Promise<number>;
}

/** The parsed arguments of one command. */
export interface CommandInput {
  positionals: string[];
  string(name: string): string | undefined;
  strings(name: string): string[];
  flag(name: string): boolean;
}
