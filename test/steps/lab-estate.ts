import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../activities/bridge/paths';
import { EstateStore } from '../../lab/estate/store';
import { labEstateSchema, type LabEstate } from '../../lab/estate/schema';

/** A private copy of a sample estate in a temp file, changed by `adjust`, with a store to read it back. */
export function labEstateFile(sample: 'default' | 'realistic', adjust: (estate: LabEstate) => void = () => undefined): { file: string; store: EstateStore; env: NodeJS.ProcessEnv } {
  const source = path.join(projectRoot(), 'lab', 'estates', `${sample}.json`);
  const estate = labEstateSchema.parse(JSON.parse(readFileSync(source, 'utf8')));
  adjust(estate);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cloudtrust-estate-')), 'estate.json');
  writeFileSync(file, JSON.stringify(labEstateSchema.parse(estate), null, 2));
  return { file, store: new EstateStore(file), env: { ...process.env, CLOUDTRUST_LAB_ESTATE: file } };
}
