import { EXIT_CODE } from '../client/errors';

/** Every exit code of the cloudtrust CLI; `cloudtrust help` prints EXIT_CODE_TABLE. */
export const EXIT = {
  ok: 0,
  endedBadly: 1,
  usage: 2,
  invalidInput: EXIT_CODE['invalid-input'],
  notFound: EXIT_CODE['not-found'],
  refused: EXIT_CODE.rejected,
  unavailable: EXIT_CODE.unavailable,
  interrupted: 130,
} as const;

export const EXIT_CODE_TABLE: ReadonlyArray<readonly [number, string]> = [
  [EXIT.ok, 'success; a followed run completed with no failed domain; a drift check found no drift'],
  [EXIT.endedBadly, 'a run ended badly (halted, cancelled, a domain failed or still needs an operator), drift was found, or an unexpected error'],
  [EXIT.usage, 'usage: unknown command or option, missing or extra argument'],
  [EXIT.invalidInput, 'invalid input: a spec, schedule, file or setting with problems (each listed by path)'],
  [EXIT.notFound, 'not found: no such run, schedule or lab estate'],
  [EXIT.refused, 'refused: it conflicts with a running run or an existing schedule or file, or the rollout refused the request (the reason is shown)'],
  [EXIT.unavailable, 'unavailable: no Temporal server answers'],
  [EXIT.interrupted, 'interrupted (Ctrl-C) while following; the run goes on on the server'],
];
