import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { powershellDir } from '../../activities/bridge/paths';
import { defineStep, type StepContract } from '../../activities/steps/contract';

/** A copy of a reviewed script with one edit (its text must occur exactly once), in `dir`, under a test id with the real step's contract. */
export function editedStep<C extends StepContract>(dir: string, id: string, step: C, from: string, to: string): C {
  const original = readFileSync(path.join(powershellDir(), step.script), 'utf8');
  if (original.split(from).length !== 2) throw new Error(`${step.script}: the text to edit must occur exactly once: ${from}`);
  const file = path.join(dir, `${id}.ps1`);
  writeFileSync(file, original.replace(from, to));
  return defineStep({ ...step, id, script: path.relative(powershellDir(), file) }) as C;
}
