import { readFile } from 'node:fs/promises';
import { TriggerError } from '../client/errors';
import type { RolloutSpec } from '../model/spec';
import { parseSpec } from '../model/spec-file';
import { readStdin } from './stdin';

/** Reads and validates a rollout spec (YAML or JSON; `-` is stdin). Throws SpecError with every problem by path. */
export async function readSpec(file: string): Promise<RolloutSpec> {
  return parseSpec(await readSpecText(file), file === '-' ? 'stdin' : file);
}

async function readSpecText(file: string): Promise<string> {
  if (file === '-') return readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new TriggerError('invalid-input', `cannot read the spec ${file}: ${reason}`, 'give the path of a rollout spec in YAML or JSON, e.g. specs/lab-default.yaml');
  }
}
