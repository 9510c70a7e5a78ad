import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The sample estates shipped in lab/estates, each with the secrets file its specs name. */
export const LAB_SAMPLES = ['default', 'realistic'] as const;
export type LabSample = (typeof LAB_SAMPLES)[number];

export const sampleEstateFile = (projectRoot: string, sample: LabSample) => path.join(projectRoot, 'lab', 'estates', `${sample}.json`);
export const sampleSecretsFile = (projectRoot: string, sample: LabSample) => path.join(projectRoot, 'lab', 'estates', `${sample}.secrets.json`);

/** Which sample an estate was seeded from, by its name; undefined for an estate of its own. */
export function sampleNamed(projectRoot: string, estateName: string): LabSample | undefined {
  return LAB_SAMPLES.find((sample) => (JSON.parse(readFileSync(sampleEstateFile(projectRoot, sample), 'utf8')) as { name?: string }).name === estateName);
}
