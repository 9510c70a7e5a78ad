import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../activities/bridge/paths';
import { TriggerError } from '../../client/errors';
import { labEstateSchema, type LabEstate } from '../../lab/estate/schema';
import { EstateStore } from '../../lab/estate/store';
import { estateFileOf } from '../../lab/estate/estate-file';
import { LAB_SAMPLES, sampleEstateFile, sampleNamed, sampleSecretsFile, type LabSample } from '../../lab/estate/samples';
import type { CommandSpec } from '../command';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { choice } from '../options';
import { labSummary, labView } from '../render/lab-view';

const sampleOption = { type: 'string', value: LAB_SAMPLES.join('|'), description: 'the sample estate in lab/estates to start from' } as const;
const WHERE = 'The estate file is CLOUDTRUST_LAB_ESTATE, else lab/estate.json in CLOUDTRUST_DATA_DIR (default ./.cloudtrust).';

function shortPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}

async function readSample(sample: LabSample): Promise<LabEstate> {
  return labEstateSchema.parse(JSON.parse(await readFile(sampleEstateFile(projectRoot(), sample), 'utf8')));
}

function reportSeeded(ctx: CliContext, file: string, sample: LabSample, estate: LabEstate, verb: string, extra: Record<string, unknown> = {}): void {
  const domains = estate.forests.flatMap((f) => f.domains);
  const secrets = sampleSecretsFile(projectRoot(), sample);
  if (ctx.io.json) {
    ctx.io.emit({ file, sample, name: estate.name, domains: domains.map((d) => d.dnsName), secretsFile: secrets, ...extra });
    return;
  }
  const controllers = domains.reduce((n, d) => n + d.controllers.length, 0);
  ctx.io.out(`${verb} lab estate ${file} from the ${sample} sample (${estate.name}: ${estate.forests.length} forest${estate.forests.length === 1 ? '' : 's'}, ${domains.length} domains, ${controllers} DCs)`);
  ctx.io.out(`its specs' credentials: ${shortPath(secrets)} (a worker against the lab uses them unless CLOUDTRUST_SECRETS_FILE is set)`);
}

export const labInitCommand: CommandSpec = {
  name: 'lab init',
  group: 'lab',
  summary: 'create the lab estate from a sample',
  args: [],
  options: { sample: sampleOption, force: { type: 'boolean', description: 'overwrite an estate that exists (same as `lab reset`)' } },
  details: [WHERE, 'Refused (exit 5) when the estate exists, unless --force.'],
  async run(ctx, input) {
    const sample = choice('sample', input.string('sample'), LAB_SAMPLES, 'default');
    const file = estateFileOf(ctx.env);
    if (existsSync(file) && !input.flag('force')) {
      throw new TriggerError('conflict', `the lab estate ${file} already exists`, 'start over with `cloudtrust lab reset`, or `cloudtrust lab init --force`');
    }
    await mkdir(path.dirname(file), { recursive: true });
    await copyFile(sampleEstateFile(projectRoot(), sample), file);
    reportSeeded(ctx, file, sample, await readSample(sample), 'created');
    return EXIT.ok;
  },
};

export const labResetCommand: CommandSpec = {
  name: 'lab reset',
  group: 'lab',
  summary: 'put the lab estate back as its sample has it',
  args: [],
  options: { sample: { ...sampleOption, description: 'the sample to reset to (default: the one the estate was seeded from)' } },
  details: [WHERE, 'Safe while a worker runs: the estate is replaced under the same lock the lab takes.'],
  async run(ctx, input) {
    const file = estateFileOf(ctx.env);
    const store = new EstateStore(file);
    const current = existsSync(file) ? await store.read().catch(() => undefined) : undefined;
    const seededFrom = current ? sampleNamed(projectRoot(), current.name) : undefined;
    const sample = choice('sample', input.string('sample'), LAB_SAMPLES, seededFrom ?? 'default');
    const fresh = await readSample(sample);
    if (current) {
      await store.update((estate) => {
        for (const key of Object.keys(estate)) delete (estate as Record<string, unknown>)[key];
        Object.assign(estate, structuredClone(fresh));
      });
    } else {
      await mkdir(path.dirname(file), { recursive: true });
      await store.write(fresh);
    }
    const dropped = current ? { mutationsDropped: Object.values(current.mutations).reduce((a, b) => a + b, 0), faultsDropped: current.faults.length } : {};
    reportSeeded(ctx, file, sample, fresh, 'reset', dropped);
    return EXIT.ok;
  },
};

export const labShowCommand: CommandSpec = {
  name: 'lab show',
  group: 'lab',
  summary: 'domains, DCs, Kerberos objects, GPOs, faults and changes applied',
  args: [],
  details: [WHERE],
  async run(ctx) {
    const file = estateFileOf(ctx.env);
    if (!existsSync(file)) throw new TriggerError('not-found', `no lab estate at ${file}`, 'create it with `cloudtrust lab init`');
    const summary = labSummary(await new EstateStore(file).read(), file);
    if (ctx.io.json) ctx.io.emit(summary);
    else ctx.io.out(labView(summary, ctx.io.style).join('\n'));
    return EXIT.ok;
  },
};
