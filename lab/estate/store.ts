import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { describeIssues } from '../../model/zod-issues';
import { withFileLock } from '../../worker/file-lock';
import { labEstateSchema, type LabEstate } from './schema';


/**
 * The estate file on disk. Reads see a complete file (writes go to a temporary file renamed into place);
 * updates are serialised across processes by a lock directory next to the file, so two workers (each with
 * several lab services) can mutate the same estate safely. The estate last parsed is kept, deeply frozen, for as
 * long as the file is the same one (inode, size, modification time): every simulated command reads the estate, and
 * parsing a large one each time cost more than the commands themselves.
 */
export class EstateStore {
  private cached: { version: string; estate: LabEstate } | undefined;

  constructor(readonly file: string) {}

  /** The estate as it is now: read-only (frozen); change it with update(). */
  async read(): Promise<LabEstate> {
    let version: string;
    let text: string;
    try {
      version = await this.version();
      if (this.cached?.version === version) return this.cached.estate;
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      throw new Error(`lab estate ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    const estate = deepFreeze(parseEstate(text, this.file));
    this.cached = { version, estate };
    return estate;
  }

  /** Runs `change` on the current estate under the lock and writes the result; returns what `change` returns. */
  async update<T>(change: (estate: LabEstate) => T | Promise<T>): Promise<T> {
    return withFileLock(`${this.file}.lock`, `lab estate ${this.file}`, async () => {
      const estate = structuredClone(await this.read());
      const outcome = await change(estate);
      await this.write(estate);
      return outcome;
    });
  }

  private async version(): Promise<string> {
    const info = await stat(this.file, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  }

  async write(estate: LabEstate): Promise<void> {
    const temporary = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify(estate, null, 2)}\n`, 'utf8');
    await rename(temporary, this.file);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function parseEstate(text: string, where: string): LabEstate {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`lab estate ${where}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = labEstateSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`lab estate ${where} is invalid:\n  ${describeIssues(parsed.error).join('\n  ')}`);
  return parsed.data;
}

/** Counts one applied change to an object, so tests can assert each change happened exactly once. */
export function recordMutation(estate: LabEstate, objectKey: string): void {
  estate.mutations[objectKey] = (estate.mutations[objectKey] ?? 0) + 1;
}
