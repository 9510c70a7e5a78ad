import { existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeIssues } from '../../model/zod-issues';
import { labEstateSchema, type LabEstate } from '../estate/schema';

/** CLOUDTRUST_LAB_ESTATE, else <data dir>/lab/estate.json seeded from lab/estates/default.json. */
export function estatePath(env: NodeJS.ProcessEnv, projectRoot: string): string {
  if (env.CLOUDTRUST_LAB_ESTATE) return path.resolve(env.CLOUDTRUST_LAB_ESTATE);
  const dataDir = path.resolve(env.CLOUDTRUST_DATA_DIR ?? path.join(process.cwd(), '.cloudtrust'));
  const file = path.join(dataDir, 'lab', 'estate.json');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(path.join(projectRoot, 'lab', 'estates', 'default.json'), file);
  }
  return file;
}

export async function readEstate(file: string): Promise<LabEstate> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`lab estate ${file}: ${(error as Error).message}`);
  }
  const parsed = labEstateSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`lab estate ${file} is invalid:\n  ${describeIssues(parsed.error).join('\n  ')}`);
  return parsed.data;
}
