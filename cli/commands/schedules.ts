import { TriggerError } from '../../client/errors';
import { createSchedule, deleteSchedule, listSchedules, triggerSchedule, type ScheduleView } from '../../client/schedules';
import { SCHEDULE_KINDS, scheduleRequestSchema } from '../../model/schedule-request';
import { describeIssues } from '../../model/zod-issues';
import type { CommandSpec } from '../command';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { listValues } from '../options';
import { shortTime, table } from '../render/table';
import { readSpec } from '../spec-input';
import { UsageError } from '../usage-error';

const when = (s: ScheduleView) => (s.every ? `every ${s.every}` : `cron "${s.cron}"`);

function describeSchedule(s: ScheduleView): string {
  return `${s.name}: ${s.kind} of ${s.spec} ${when(s)}${s.paused ? ', paused' : ''}${s.nextRunAt ? `; next run ${shortTime(s.nextRunAt)}` : ''}`;
}

function required(input: { string(name: string): string | undefined }, option: string, command: string): string {
  const value = input.string(option);
  if (value === undefined) throw new UsageError(`${command} needs --${option}`, command);
  return value;
}

export const scheduleCreateCommand: CommandSpec = {
  name: 'schedule create',
  group: 'schedules',
  summary: 'schedule a key rotation or a drift check of a spec',
  args: ['<name>'],
  options: {
    kind: { type: 'string', value: SCHEDULE_KINDS.join('|'), description: 'what the schedule runs (required)' },
    spec: { type: 'string', value: 'FILE', description: 'the rollout spec it runs against (required)' },
    every: { type: 'string', value: 'INTERVAL', description: 'an interval such as 90d, 24h or 30m' },
    cron: { type: 'string', value: 'EXPR', description: 'five cron fields instead, e.g. "0 3 * * 1"' },
    paused: { type: 'boolean', description: 'create it paused' },
    domain: { type: 'string', multiple: true, value: 'DOMAIN', description: 'rotate-keys only: only this domain' },
    force: { type: 'boolean', description: 'rotate-keys only: rotate even within 24 hours of the last rotation' },
  },
  details: [
    'Give exactly one of --every and --cron. A run still going when the next is due makes that one skip; a server',
    'that was down catches up at most one hour of missed runs. The spec is copied into the schedule: edit the file',
    'and recreate the schedule to change it.',
    'Example: cloudtrust schedule create contoso-rotation --kind rotate-keys --spec specs/contoso.yaml --every 90d',
  ],
  async run(ctx, input) {
    const name = input.positionals[0];
    const kind = required(input, 'kind', 'schedule create');
    const spec = await readSpec(required(input, 'spec', 'schedule create'));
    const domains = listValues(input.strings('domain'));
    const parsed = scheduleRequestSchema.safeParse({
      name,
      kind,
      spec,
      ...(input.string('every') !== undefined ? { every: input.string('every') } : {}),
      ...(input.string('cron') !== undefined ? { cron: input.string('cron') } : {}),
      ...(domains.length > 0 ? { domains } : {}),
      ...(input.flag('force') ? { force: true } : {}),
      paused: input.flag('paused'),
    });
    if (!parsed.success) {
      const firstPerField = describeIssues(parsed.error).filter((problem, i, all) => all.findIndex((p) => p.split(':')[0] === problem.split(':')[0]) === i);
      const problems = firstPerField.map((p) => p.replace(/^(every|cron|kind|name|domains|force)\b/, (field) => (field === 'name' ? '<name>' : `--${field === 'domains' ? 'domain' : field}`)));
      throw new TriggerError('invalid-input', `schedule ${name} is not valid: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, 'see `cloudtrust schedule create --help`', problems);
    }
    const { client, taskQueue } = await ctx.attach();
    const view = await createSchedule(client, parsed.data, taskQueue);
    if (ctx.io.json) ctx.io.emit(view);
    else ctx.io.out(`created schedule ${describeSchedule(view)}`);
    return EXIT.ok;
  },
};

export const scheduleListCommand: CommandSpec = {
  name: 'schedule list',
  group: 'schedules',
  summary: "cloudtrust's schedules",
  args: [],
  async run(ctx: CliContext) {
    const { client } = await ctx.attach();
    const schedules = await listSchedules(client);
    if (ctx.io.json) ctx.io.emit(schedules);
    else if (schedules.length === 0) ctx.io.out('no schedules');
    else {
      const { style } = ctx.io;
      const rows = schedules.map((s) => [s.name, s.kind, s.spec, when(s), s.paused ? style.yellow('paused') : 'active', shortTime(s.nextRunAt), s.recentRuns.at(-1)?.workflowId ?? '']);
      ctx.io.out(table(['NAME', 'KIND', 'SPEC', 'WHEN', 'STATE', 'NEXT RUN', 'LAST RUN'], rows, style).join('\n'));
    }
    return EXIT.ok;
  },
};

export const scheduleDeleteCommand: CommandSpec = {
  name: 'schedule delete',
  group: 'schedules',
  summary: 'delete a schedule (runs it started go on)',
  args: ['<name>'],
  async run(ctx, input) {
    const name = input.positionals[0];
    const { client } = await ctx.attach();
    await deleteSchedule(client, name);
    if (ctx.io.json) ctx.io.emit({ deleted: name });
    else ctx.io.out(`deleted schedule ${name}`);
    return EXIT.ok;
  },
};

export const scheduleTriggerCommand: CommandSpec = {
  name: 'schedule trigger',
  group: 'schedules',
  summary: "run a schedule's action now",
  args: ['<name>'],
  async run(ctx, input) {
    const name = input.positionals[0];
    const { client } = await ctx.attach();
    await triggerSchedule(client, name);
    if (ctx.io.json) ctx.io.emit({ triggered: name });
    else ctx.io.out(`triggered schedule ${name}: \`cloudtrust list --running\` shows its run`);
    return EXIT.ok;
  },
};
