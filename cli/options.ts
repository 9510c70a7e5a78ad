import { TriggerError } from '../client/errors';

/** An option's value that must be one of a fixed set; anything else is invalid input that lists the choices. */
export function oneOf<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new TriggerError('invalid-input', `--${option} ${value} is not one of ${choices.join(', ')}`, `e.g. --${option} ${choices[0]}`);
}

/** Like oneOf, with a default when the option is not given. */
export function choice<T extends string>(option: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  return value === undefined ? fallback : oneOf(option, value, choices);
}

/** A positive whole number option. */
export function positiveInteger(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d{0,5}$/.test(value)) throw new TriggerError('invalid-input', `--${option} ${value} is not a positive whole number`);
  return Number(value);
}

/** Values of a repeatable option, each of which may also be a comma-separated list. */
export const listValues = (values: string[]) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
