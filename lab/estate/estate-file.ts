import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** CLOUDTRUST_LAB_ESTATE, else <data dir>/lab/estate.json; the file may not exist yet. */
export function estateFileOf(env: NodeJS.ProcessEnv): string {
  if (env.CLOUDTRUST_LAB_ESTATE) return path.resolve(env.CLOUDTRUST_LAB_ESTATE);
  const dataDir = path.resolve(env.CLOUDTRUST_DATA_DIR ?? path.join(process.cwd(), '.cloudtrust'));
  return path.join(dataDir, 'lab', 'estate.json');
}

/** CLOUDTRUST_LAB_ESTATE, else <data dir>/lab/estate.json, seeded on first use from lab/estates/<sample>.json. */
export function estatePath(env: NodeJS.ProcessEnv, projectRoot: string, sample: 'default' | 'realistic' = 'default'): string {
  if (env.CLOUDTRUST_LAB_ESTATE) return path.resolve(env.CLOUDTRUST_LAB_ESTATE);
  const file = estateFileOf(env);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(path.join(projectRoot, 'lab', 'estates', `${sample}.json`), file);
  }
  return file;
}
